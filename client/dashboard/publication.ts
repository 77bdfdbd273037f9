/**
 * A report's publication, shared by the moderation view and the report details: its state,
 * the text as the public will read it (editable, to redact), its photos with their own state,
 * and the decisions. Whatever makes something public asks first (moderation-confirm.ts).
 */
import { h, type Child } from '../lib/dom';
import type { StaffFeature } from '../lib/staff-api';
import { busy } from './detail-actions';
import { moderationApi, moderationError, photosOf, type PublicationChange } from './moderation-api';
import { blurPhoto } from './moderation-blur';
import { confirmPublic } from './moderation-confirm';
import { ms, type PublicationState } from './moderation-strings';
import { labelOf, type Ctx } from './state';
import { t } from './strings';

export interface PublicationHooks {
  /** Prefix of element ids: the moderation view and the details can be in the page at once. */
  scope: string;
  /** Large photos to judge (moderation view) or thumbnails (the narrow details panel). */
  large: boolean;
  headingLevel: 'h3' | 'h4';
  /** A change went through: `decided` when the report left review (published or hidden). */
  done(message: string, decided: boolean): void;
  /** A change failed: show the message where the person acted. */
  failed(message: string): void;
  skip?: () => void;
}

export const reviewOf = (f: StaffFeature): 'pending' | 'published' =>
  (f.properties as { review?: string }).review === 'published' ? 'published' : 'pending';

/**
 * Staff features do not carry `hidden`; the history does (hidden / unhidden entries, oldest
 * first). A report hidden from the start (a pre-moderated barrier) is still pending review.
 */
export function publicationState(f: StaffFeature): PublicationState {
  const last = (f.properties.history ?? []).filter((e) => e.action === 'hidden' || e.action === 'unhidden').pop();
  if (last?.action === 'hidden') return 'hidden';
  return reviewOf(f);
}

function button(label: string, key: string, primary = false): HTMLButtonElement {
  return h(
    'button',
    { type: 'button', class: `button button--small${primary ? ' button--primary' : ''}`, 'data-key': key },
    label,
  );
}

/** Unsent edits of the public text, by report: kept while the view redraws. */
const drafts = new Map<number, string>();

export function publicationControls(ctx: Ctx, f: StaffFeature, hooks: PublicationHooks): HTMLElement {
  const m = ms();
  const id = f.id;
  const p = f.properties;
  const state = publicationState(f);
  const review = reviewOf(f);
  // The public text: the reporter's words until a coordinator redacted them ('' for none).
  const original = p.public_description ?? p.description ?? '';
  const what = `${labelOf(ctx, p.category)} #${id}`;
  const textId = `${hooks.scope}-text`;

  const text = h('textarea', {
    id: textId,
    class: 'input pub__text',
    rows: hooks.large ? 6 : 4,
    maxlength: 4000,
    'aria-describedby': `${textId}-hint ${textId}-changed`,
    'data-key': 'pub-text',
  });
  // A draft outlives the view's redraws (a photo blurred or hidden redraws it) until it is sent.
  text.value = drafts.get(id) ?? original;
  const changedNote = h('p', { id: `${textId}-changed`, class: 'hint pub__changed' });
  const noteChange = () => {
    changedNote.textContent = text.value !== original ? m.textChanged : '';
  };
  noteChange();
  text.addEventListener('input', () => {
    if (text.value !== original) drafts.set(id, text.value);
    else drafts.delete(id);
    noteChange();
  });
  const edited = () => (text.value.trim() === '' ? null : text.value.trim());
  const textChanged = () => edited() !== (original.trim() === '' ? null : original.trim());

  async function run(change: PublicationChange, message: string, decided: boolean): Promise<void> {
    try {
      await moderationApi.publication(ctx, id, change);
      if (change.description !== undefined) drafts.delete(id);
      hooks.done(message, decided);
    } catch (err) {
      hooks.failed(moderationError(err));
    }
  }

  const visiblePhotos = photosOf(f).filter((ph) => ph.state !== 'hidden').length;
  const publishDetails = (words: string | null): [string, Child][] => [
    [m.confirm.text, words ? h('span', { class: 'confirm__text' }, words) : m.confirm.noText],
    ...(p.kind === 'help' ? ([[m.confirm.people, p.people_count ?? t.none]] as [string, Child][]) : []),
    [m.confirm.photos, m.confirm.photoCount(visiblePhotos)],
  ];

  const actions: HTMLButtonElement[] = [];
  if (review === 'pending') {
    const publish = button(m.publish, 'pub-publish', true);
    publish.addEventListener('click', () =>
      busy(publish, async () => {
        const words = edited();
        const ok = await confirmPublic({
          heading: m.confirm.publishHeading(what),
          intro: m.confirm.publishIntro,
          details: publishDetails(words),
          confirm: m.confirm.publish,
        });
        if (!ok) return publish.focus();
        await run(
          { review: 'published', ...(textChanged() ? { description: words } : {}) },
          m.done.published(id),
          true,
        );
      }),
    );
    const noText = button(m.publishNoText, 'pub-publish-no-text');
    noText.addEventListener('click', () =>
      busy(noText, async () => {
        const ok = await confirmPublic({
          heading: m.confirm.publishHeading(what),
          intro: m.confirm.publishIntro,
          details: publishDetails(null),
          confirm: m.confirm.publishNoText,
        });
        if (!ok) return noText.focus();
        await run({ review: 'published', description: null }, m.done.published(id), true);
      }),
    );
    actions.push(publish, noText);
  } else {
    const save = button(m.saveText, 'pub-save');
    save.addEventListener('click', () =>
      busy(save, async () => {
        if (!textChanged()) return;
        await run({ description: edited() }, m.done.textSaved(id), false);
      }),
    );
    const withdraw = button(m.withdraw, 'pub-withdraw');
    withdraw.addEventListener('click', () =>
      busy(withdraw, () => run({ review: 'pending' }, m.done.withdrawn(id), false)),
    );
    actions.push(save, withdraw);
  }
  if (state === 'hidden') {
    const show = button(m.showReport, 'pub-show');
    show.addEventListener('click', () =>
      busy(show, async () => {
        const ok = await confirmPublic({
          heading: m.confirm.showHeading(what),
          intro: m.confirm.showIntro,
          details: [],
          confirm: m.confirm.show,
        });
        if (!ok) return show.focus();
        await run({ hidden: false }, m.done.shown(id), false);
      }),
    );
    actions.push(show);
  } else {
    const hide = button(m.hideReport, 'pub-hide');
    hide.addEventListener('click', () => busy(hide, () => run({ hidden: true }, m.done.hidden(id), true)));
    actions.push(hide);
  }
  if (hooks.skip) {
    const skip = button(m.skip, 'pub-skip');
    skip.addEventListener('click', hooks.skip);
    actions.push(skip);
  }

  const H = hooks.headingLevel;
  return h(
    'div',
    { class: `pub${hooks.large ? ' pub--large' : ''}` },
    h('p', { class: `pub__state pub__state--${state}` }, state === 'published' ? '✓ ' : '', m.state[state]),
    h('label', { class: 'label label--small', for: textId }, m.textLabel),
    h('p', { id: `${textId}-hint`, class: 'hint' }, original ? m.textHint : m.noText),
    text,
    changedNote,
    h(H, { class: 'pub__photos-heading' }, m.photosHeading),
    photoList(ctx, f, hooks, review),
    h('div', { class: 'button-row pub__actions', role: 'group', 'aria-label': m.actionsLabel }, actions),
  );
}

function photoList(ctx: Ctx, f: StaffFeature, hooks: PublicationHooks, review: 'pending' | 'published'): HTMLElement {
  const m = ms();
  const list = photosOf(f);
  if (list.length === 0) return h('p', { class: 'hint' }, m.noPhotos);
  return h(
    'ul',
    { class: `pub__photos${hooks.large ? ' pub__photos--large' : ''}` },
    list.map((ph, position) => {
      const n = position + 1;
      const state = ph.state ?? 'published';
      const toggle = button(state === 'hidden' ? m.showPhoto(n) : m.hidePhoto(n), `photo-${position}-toggle`);
      toggle.addEventListener('click', () =>
        busy(toggle, async () => {
          const next = state === 'hidden' ? 'published' : 'hidden';
          try {
            await moderationApi.photoState(ctx, f.id, position, next);
            hooks.done(next === 'hidden' ? m.done.photoHidden(n) : m.done.photoShown(n), false);
          } catch (err) {
            hooks.failed(moderationError(err));
          }
        }),
      );
      // A photo added to a report already public (the fix's "after" photo) is published on its
      // own: the report's review, status, public timeline and followers stay as they are.
      const publish =
        review === 'published' && state === 'pending' ? button(m.publishPhoto(n), `photo-${position}-publish`) : null;
      publish?.addEventListener('click', () =>
        busy(publish, async () => {
          try {
            await moderationApi.photoState(ctx, f.id, position, 'published');
            hooks.done(m.done.photoPublished(n), false);
          } catch (err) {
            hooks.failed(moderationError(err));
          }
        }),
      );
      const blur = button(m.blurPhoto(n), `photo-${position}-blur`);
      blur.addEventListener('click', () =>
        busy(blur, async () => {
          const result = await blurPhoto(ctx, f.id, position, ph);
          if (result.areas > 0) hooks.done(m.done.blurred(n, result.areas), false);
          else if (result.error) hooks.failed(result.error);
          else blur.focus();
        }),
      );
      const img = h('img', {
        src: hooks.large ? ph.url : ph.thumbnail_url,
        alt: m.photoAlt(n, f.id),
        width: ph.width,
        height: ph.height,
        loading: 'lazy',
        class: `pub__img pub__img--${state}`,
      });
      return h(
        'li',
        { class: 'pub__photo', 'data-position': position },
        h(
          'figure',
          {},
          h('a', { href: ph.url, target: '_blank', rel: 'noopener', 'aria-label': m.openPhoto(n) }, img),
          h(
            'figcaption',
            {},
            h('span', { class: `pub__photo-state pub__photo-state--${state}` }, m.photoCaption(n, m.photoState[state])),
          ),
        ),
        h('div', { class: 'button-row' }, publish, toggle, blur),
      );
    }),
  );
}
