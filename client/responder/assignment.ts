/**
 * One assignment as a card: what and where, a directions link (an ordinary link to
 * OpenStreetMap — nothing is fetched from there), Start, and Resolve with a note for staff, an
 * optional note for the public (the report page shows it) and an optional photo ("after"). The photo goes up first, so a failed upload never resolves the report.
 */
import type { Category } from '../lib/api';
import { announce } from '../lib/announce';
import { categoryLabel } from '../lib/categories';
import { h } from '../lib/dom';
import { errorText, type StaffApi, type StaffFeature } from '../lib/staff-api';
import { t } from './strings';

export interface CardHooks {
  showOnMap(f: StaffFeature): void;
  changed(f: StaffFeature): void;
}

function resolveForm(
  api: StaffApi,
  f: StaffFeature,
  done: (f: StaffFeature) => void,
  cancel: () => void,
): HTMLFormElement {
  const id = f.id;
  const error = h('p', { id: `resolve-error-${id}`, class: 'form-error', role: 'alert' });
  const note = h('textarea', {
    id: `resolve-note-${id}`,
    class: 'input',
    rows: 3,
    maxlength: 4000,
    required: true,
    'aria-describedby': `resolve-note-hint-${id} resolve-error-${id}`,
  });
  // Written knowing it is public: the staff note above it never is.
  const publicNote = h('textarea', {
    id: `resolve-public-${id}`,
    class: 'input',
    rows: 2,
    maxlength: 1000,
    'aria-describedby': `resolve-public-hint-${id}`,
  });
  const photo = h('input', { id: `resolve-photo-${id}`, class: 'input input--file', type: 'file', accept: 'image/*' });
  const submit = h('button', { type: 'submit', class: 'button button--primary' }, t.markResolved);
  const back = h('button', { type: 'button', class: 'button' }, t.cancel);
  back.addEventListener('click', cancel);
  const form = h(
    'form',
    { class: 'resolve', 'aria-labelledby': `resolve-heading-${id}`, novalidate: true },
    h('h3', { id: `resolve-heading-${id}` }, t.resolveHeading(id)),
    h('label', { class: 'label', for: `resolve-note-${id}` }, t.noteLabel),
    note,
    h('p', { id: `resolve-note-hint-${id}`, class: 'hint' }, t.noteHint),
    h('label', { class: 'label', for: `resolve-public-${id}` }, t.publicNoteLabel),
    publicNote,
    h('p', { id: `resolve-public-hint-${id}`, class: 'hint' }, t.publicNoteHint),
    h('label', { class: 'label', for: `resolve-photo-${id}` }, t.photoLabel),
    photo,
    error,
    h('div', { class: 'button-row' }, submit, back),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = note.value.trim();
    if (!text) {
      error.textContent = t.noteRequired;
      note.setAttribute('aria-invalid', 'true');
      note.focus();
      return;
    }
    note.removeAttribute('aria-invalid');
    submit.disabled = true;
    submit.textContent = t.sending;
    error.textContent = '';
    void (async () => {
      try {
        const files = [...(photo.files ?? [])];
        if (files.length) {
          try {
            await api.addPhotos(id, files);
          } catch (err) {
            error.textContent = errorText(err, t.photoFailed);
            return;
          }
        }
        const forPublic = publicNote.value.trim();
        done(
          await api.change(id, {
            status: 'resolved',
            note: text,
            ...(forPublic ? { resolution_note: forPublic } : {}),
          }),
        );
      } catch (err) {
        error.textContent = errorText(err, t.failed);
      } finally {
        submit.disabled = false;
        submit.textContent = t.markResolved;
      }
    })();
  });
  return form;
}

export function assignmentCard(
  api: StaffApi,
  f: StaffFeature,
  cat: Category | undefined,
  hooks: CardHooks,
): HTMLElement {
  const p = f.properties;
  const [lon, lat] = f.geometry.coordinates;
  const label = categoryLabel(cat, p.category);
  const headingId = `assignment-${f.id}`;
  const actions = h('div', { class: 'button-row' });
  const slot = h('div');
  const card = h(
    'article',
    { class: `assignment kind-${p.kind} sev-${p.severity}`, 'aria-labelledby': headingId, 'data-id': String(f.id) },
    h('h2', { id: headingId, tabindex: -1 }, t.reportTitle(label, f.id)),
    h(
      'p',
      { class: 'assignment__facts' },
      h('span', { class: `sev sev--${p.severity}` }, String(p.severity)),
      ` ${t.severity(p.kind, p.severity)} · `,
      h('span', { class: `badge badge--${p.status}` }, t.status(p.status)),
    ),
    p.address ? h('p', {}, h('strong', {}, `${t.address}: `), p.address) : null,
    h('p', { class: 'assignment__desc' }, p.description || t.noDescription),
    p.people_count ? h('p', {}, h('strong', {}, `${t.people}: `), String(p.people_count)) : null,
    p.contact ? h('p', {}, h('strong', {}, `${t.contact}: `), p.contact) : null,
    p.photos?.length
      ? h(
          'ul',
          { class: 'photos' },
          p.photos.map((ph, i) =>
            h(
              'li',
              {},
              h(
                'a',
                { href: ph.url, target: '_blank', rel: 'noopener' },
                h('img', { src: ph.thumbnail_url, alt: t.photoAlt(i + 1), width: 96, height: 72, loading: 'lazy' }),
              ),
            ),
          ),
        )
      : null,
    actions,
    slot,
  );

  const directions = h(
    'a',
    {
      class: 'button',
      href: `https://www.openstreetmap.org/directions?to=${lat.toFixed(6)},${lon.toFixed(6)}`,
      target: '_blank',
      rel: 'noopener noreferrer',
    },
    t.directions,
    h('span', { class: 'visually-hidden' }, t.directionsHint),
  );
  const showMap = h('button', { type: 'button', class: 'button' }, t.showOnMap);
  showMap.addEventListener('click', () => hooks.showOnMap(f));
  actions.append(directions, showMap);

  if (p.allowed_transitions.includes('in_progress')) {
    const start = h('button', { type: 'button', class: 'button' }, t.start);
    start.addEventListener('click', () => {
      start.disabled = true;
      api
        .change(f.id, { status: 'in_progress' })
        .then((updated) => {
          announce(t.started(f.id));
          hooks.changed(updated);
        })
        .catch((err: unknown) => {
          start.disabled = false;
          announce(errorText(err, t.failed), 'assertive');
        });
    });
    actions.append(start);
  }
  if (p.allowed_transitions.includes('resolved')) {
    const resolve = h(
      'button',
      { type: 'button', class: 'button button--primary', 'aria-expanded': 'false' },
      t.resolve,
    );
    resolve.addEventListener('click', () => {
      if (slot.firstChild) return;
      resolve.setAttribute('aria-expanded', 'true');
      const form = resolveForm(
        api,
        f,
        (updated) => {
          announce(t.resolved(f.id));
          hooks.changed(updated);
        },
        () => {
          slot.replaceChildren();
          resolve.setAttribute('aria-expanded', 'false');
          resolve.focus();
        },
      );
      slot.replaceChildren(form);
      form.querySelector('textarea')?.focus();
    });
    actions.append(resolve);
  }
  return card;
}
