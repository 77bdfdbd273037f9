/**
 * A report's detail panel: what was reported (photos, description, contact, confirmations),
 * what happened to it (history, notes), and what staff can do next (detail-actions.ts).
 * It reloads when the report changes, here or elsewhere, and keeps focus where it was.
 */
import type { Status } from '../lib/api';
import { h, replaceChildren, type Child } from '../lib/dom';
import { type HistoryEntry, type Note, type StaffFeature } from '../lib/staff-api';
import { actionSections, noteForm } from './detail-actions';
import { fixPhotoSection } from './fix-photo';
import { publicationSection } from './publication-detail';
import { moderationHistory } from './moderation-strings';
import { problemText } from './notices';
import { labelOf, personName, teamName, type Ctx } from './state';
import { t } from './strings';
import { volunteerChecksSection } from './volunteer-checks';
import { vs } from './volunteers-strings';

export interface Detail {
  el: HTMLElement;
  open(id: number, returnTo?: HTMLElement | null): Promise<void>;
  close(): void;
  openId(): number | null;
}

export interface DetailHooks {
  onShow(feature: StaffFeature): void;
  onClose(returnTo: HTMLElement | null): void;
}

function fact(term: string, value: Child | Child[]): HTMLElement[] {
  return [h('dt', {}, term), h('dd', {}, ...(Array.isArray(value) ? value : [value]))];
}

function facts(ctx: Ctx, f: StaffFeature, openOther: (id: number) => void): HTMLElement {
  const p = f.properties;
  const [lon, lat] = f.geometry.coordinates;
  const dup =
    p.duplicate_of !== null && p.duplicate_of !== undefined
      ? h('button', { type: 'button', class: 'link-button', 'data-key': 'dup-of' }, t.reportNo(p.duplicate_of))
      : t.none;
  if (dup instanceof HTMLButtonElement) dup.addEventListener('click', () => openOther(p.duplicate_of!));
  return h(
    'dl',
    { class: 'facts' },
    fact(t.facts.status, h('span', { class: `badge badge--${p.status}` }, t.status(p.status))),
    fact(t.facts.severity, [
      h('span', { class: `sev sev--${p.severity}` }, String(p.severity)),
      ` ${t.severity(p.kind, p.severity)}`,
    ]),
    fact(t.facts.kind, t.kind(p.kind)),
    fact(t.facts.priority, Number.isFinite(p.priority) ? p.priority.toFixed(1) : t.none),
    p.kind === 'help'
      ? fact(t.facts.people, p.people_count ?? t.none)
      : fact(t.facts.passability, p.passability ?? t.none),
    fact(t.facts.address, p.address || t.none),
    fact(t.facts.location, [
      `${lat.toFixed(5)}, ${lon.toFixed(5)}`,
      p.accuracy_m ? ` ±${Math.round(p.accuracy_m)} m` : '',
      ' · ',
      h('a', { href: p.url || `/reports/${f.id}`, target: '_blank', rel: 'noopener' }, t.publicPage),
    ]),
    fact(t.facts.reported, h('time', { datetime: p.created_at }, t.date(p.created_at))),
    fact(t.facts.updated, h('time', { datetime: p.updated_at }, t.date(p.updated_at))),
    fact(t.facts.confirmations, t.confirmations(p.confirmations ?? { still_there: 0, gone: 0 })),
    fact(t.facts.contact, p.contact ? h('span', { class: 'private' }, p.contact) : t.noContact),
    fact(t.facts.team, teamName(ctx, p.assigned_team_id) ?? t.none),
    fact(t.facts.person, personName(ctx, p.assigned_user_id) ?? t.none),
    fact(t.facts.duplicateOf, dup),
    fact(t.facts.deployment, p.deployment_id ? t.reportNo(p.deployment_id) : t.none),
  );
}

function notes(list: Note[] | undefined): HTMLElement {
  if (!list?.length) return h('p', { class: 'hint' }, t.noNotes);
  return h(
    'ol',
    { class: 'notes' },
    list.map((n) =>
      h(
        'li',
        {},
        h(
          'p',
          { class: 'notes__meta' },
          `${n.author?.name ?? t.system} · `,
          h('time', { datetime: n.created_at }, t.date(n.created_at)),
        ),
        h('p', { class: 'notes__body' }, n.body),
      ),
    ),
  );
}

/** One history entry as what someone did, in words: names, labels, the note itself. */
function historyWords(ctx: Ctx, f: StaffFeature, e: HistoryEntry): Child[] {
  const moderation = moderationHistory(e.action, e.field, e.from, e.to);
  if (moderation) return [moderation];
  const team = (id: string | null, name: string | null | undefined) => name ?? (id ? teamName(ctx, Number(id)) : null);
  const person = (id: string | null, name: string | null | undefined) =>
    name ?? (id ? personName(ctx, Number(id)) : null);
  if (e.action === 'created') return [t.historyCreated];
  if (e.action === 'merged') return [t.historyMerged(e.to)];
  if (e.action === 'note')
    return e.note ? [t.historyNote, ' ', h('q', { class: 'history__note' }, e.note)] : [t.historyNoteGone];
  if (e.action === 'photo') return [t.historyPhotos(e.to)];
  if (e.action === 'deployed' || e.field === 'deployment_id') return [t.historyDeployed(e.to_name ?? null, e.to)];
  switch (e.field) {
    case 'status':
      return [t.historyStatus(e.from as Status | null, e.to as Status)];
    case 'assigned_team_id':
      return [t.historyTeam(team(e.from, e.from_name), team(e.to, e.to_name))];
    case 'assigned_user_id':
      return [t.historyPerson(person(e.from, e.from_name), person(e.to, e.to_name))];
    case 'duplicate_of':
      return [t.historyDuplicateOf(e.to)];
    case 'severity':
      return [t.historySeverity(f.properties.kind, e.from, e.to)];
    case 'category':
      return [t.historyCategory(e.from ? labelOf(ctx, e.from) : t.none, e.to ? labelOf(ctx, e.to) : t.none)];
    case null:
      return [e.action.replace(/_/g, ' ')];
    default:
      return [t.historyOther(e.field, e.from, e.to)];
  }
}

function history(ctx: Ctx, f: StaffFeature): HTMLElement {
  const list = f.properties.history;
  if (!list?.length) return h('p', { class: 'hint' }, t.noHistory);
  return h(
    'ol',
    { class: 'history' },
    list.map((e) =>
      h(
        'li',
        {},
        h(
          'p',
          { class: 'history__line' },
          h(
            'strong',
            {},
            e.actor?.name ??
              (e.actor_group === 'volunteers'
                ? vs().historyVolunteers
                : e.action === 'created'
                  ? t.historyCitizen
                  : e.field === 'status' && e.from === 'resolved'
                    ? t.historyPublicNotFixed
                    : t.historySomeone),
          ),
          ' ',
          ...historyWords(ctx, f, e),
        ),
        h('time', { class: 'history__time', datetime: e.created_at }, t.date(e.created_at)),
      ),
    ),
  );
}

export function createDetail(ctx: Ctx, hooks: DetailHooks): Detail {
  const heading = h('h2', { id: 'detail-heading', tabindex: -1 }, t.loading);
  const closeButton = h('button', { type: 'button', class: 'icon-button', 'aria-label': t.closeDetail }, '×');
  const body = h('div', { class: 'detail__body' });
  const el = h(
    'aside',
    { class: 'detail', id: 'detail', 'aria-labelledby': 'detail-heading', hidden: true },
    h('div', { class: 'panel-head' }, heading, h('span', { class: 'panel-head__spacer' }), closeButton),
    body,
  );
  let currentId: number | null = null;
  let returnTo: HTMLElement | null = null;
  let loadSeq = 0;

  // Where focus was in the panel, so a re-render (after a change) can put it back.
  let focusKey: string | null = null;
  el.addEventListener('focusin', (e) => {
    focusKey = (e.target as HTMLElement).closest('[data-key]')?.getAttribute('data-key') ?? null;
  });
  el.addEventListener('focusout', (e) => {
    if (e.relatedTarget instanceof Node && !el.contains(e.relatedTarget)) focusKey = null;
  });

  // What the person chose or typed and not yet sent survives a re-render of the same report
  // (a live update arriving while they pick a team must not reset the pick).
  let renderedId: number | null = null;
  function unsent(): Map<string, string> {
    const kept = new Map<string, string>();
    if (renderedId === null) return kept;
    for (const el of body.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
      'select[id], textarea[id], input[id]:not([type="checkbox"]):not([type="radio"]):not([type="file"])',
    )) {
      const changed =
        el instanceof HTMLSelectElement
          ? [...el.options].some((o) => o.selected !== o.defaultSelected)
          : el.value !== el.defaultValue;
      if (changed) kept.set(el.id, el.value);
    }
    return kept;
  }

  function render(f: StaffFeature): void {
    const kept = renderedId === f.id ? unsent() : new Map<string, string>();
    const active = document.activeElement;
    const hadFocus = el.contains(active) || ((active === document.body || active === null) && focusKey !== null);
    const label = labelOf(ctx, f.properties.category);
    heading.textContent = t.detailHeading(label, f.id);
    const reload = () => void load(f.id);
    replaceChildren(
      body,
      facts(ctx, f, (id) => void open(id, returnTo)),
      h(
        'section',
        { class: 'detail__section', 'aria-labelledby': 'detail-desc' },
        h('h3', { id: 'detail-desc' }, t.description),
        h('p', { class: 'detail__desc' }, f.properties.description || t.noDescription),
      ),
      publicationSection(ctx, f, reload),
      actionSections(ctx, f, reload),
      f.properties.kind === 'barrier' ? fixPhotoSection(ctx, f, reload) : null,
      volunteerChecksSection(ctx, f),
      h(
        'section',
        { class: 'detail__section', 'aria-labelledby': 'detail-notes' },
        h('h3', { id: 'detail-notes' }, t.notesHeading),
        notes(f.properties.notes),
        noteForm(ctx, f, reload),
      ),
      h(
        'section',
        { class: 'detail__section', 'aria-labelledby': 'detail-history' },
        h('h3', { id: 'detail-history' }, t.historyHeading),
        history(ctx, f),
      ),
    );
    renderedId = f.id;
    for (const [id, value] of kept) {
      const field = body.querySelector<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
        `#${CSS.escape(id)}`,
      );
      if (field) field.value = value;
    }
    if (hadFocus && !el.contains(document.activeElement) && !el.hidden) {
      const again = focusKey ? el.querySelector<HTMLElement>(`[data-key="${focusKey}"]`) : null;
      (again ?? heading).focus();
    }
  }

  async function load(id: number): Promise<StaffFeature | null> {
    const seq = ++loadSeq;
    try {
      const f = await ctx.api.report(id);
      if (seq !== loadSeq || currentId !== id) return null;
      render(f);
      return f;
    } catch (err) {
      if (seq === loadSeq)
        body.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, problemText(err, t.detailFailed)));
      return null;
    }
  }

  async function open(id: number, from: HTMLElement | null = null): Promise<void> {
    currentId = id;
    returnTo = from ?? returnTo;
    el.hidden = false;
    heading.textContent = t.loading;
    body.replaceChildren();
    heading.focus();
    const f = await load(id);
    if (f) {
      hooks.onShow(f);
      heading.focus();
    }
  }

  function close(): void {
    if (currentId === null) return;
    currentId = null;
    el.hidden = true;
    hooks.onClose(returnTo);
    returnTo = null;
  }

  closeButton.addEventListener('click', close);
  el.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !document.querySelector('dialog[open]')) {
      e.preventDefault();
      close();
    }
  });

  // Someone (maybe us) changed the open report: reload it, with its new history.
  let pending = 0;
  ctx.hub.on('report', ({ feature }) => {
    if (feature.id !== currentId) return;
    window.clearTimeout(pending);
    pending = window.setTimeout(() => void load(feature.id), 200);
  });

  return { el, open, close, openId: () => currentId };
}
