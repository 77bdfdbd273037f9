/**
 * The detail panel's forms: status (only the transitions the server allows), assignment,
 * corrections, duplicate, and internal notes. Each calls `done` after a successful change so
 * the panel reloads the report with its new history.
 */
import type { Severity, Status } from '../lib/api';
import { announce } from '../lib/announce';
import { h } from '../lib/dom';
import { SessionExpired, type StaffFeature } from '../lib/staff-api';
import { changeReport, markDuplicate, pending } from './actions';
import { problemText, showError, showResult } from './notices';
import { labelOf, type Ctx } from './state';
import { t } from './strings';

/** Runs one change at a time per button. aria-disabled, not disabled: focus must stay put. */
export async function busy(button: HTMLButtonElement, work: () => Promise<unknown>): Promise<void> {
  if (button.getAttribute('aria-disabled') === 'true') return;
  button.setAttribute('aria-disabled', 'true');
  button.setAttribute('aria-busy', 'true');
  try {
    await work();
  } finally {
    button.removeAttribute('aria-disabled');
    button.removeAttribute('aria-busy');
  }
}

function statusSection(ctx: Ctx, f: StaffFeature, done: () => void): HTMLElement {
  const p = f.properties;
  const transitions = p.allowed_transitions.filter((s) => s !== 'duplicate');
  const note = h('textarea', { id: 'status-note', class: 'input input--note', rows: 2, maxlength: 4000 });
  // Only with "resolved", and written knowing it is public; the note above stays internal.
  const publicNote = h('textarea', {
    id: 'status-public-note',
    class: 'input input--note',
    rows: 2,
    maxlength: 1000,
    'aria-describedby': 'status-public-hint',
  });
  // "Mark assigned" with nobody to do the work is refused here (and by the server), with why.
  const nobody = p.assigned_team_id === null && p.assigned_user_id === null;
  const hint = h('p', { class: 'hint', id: 'status-assigned-hint' }, t.markAssignedHint);
  const buttons = transitions.map((s: Status) => {
    const blocked = s === 'assigned' && nobody;
    const b = h(
      'button',
      {
        type: 'button',
        class: `button button--small button--${s}`,
        'data-key': `status-${s}`,
        ...(blocked ? { 'aria-disabled': 'true', 'aria-describedby': 'status-assigned-hint' } : {}),
      },
      t.transition(s),
    );
    b.addEventListener('click', () => {
      if (blocked) {
        showError(t.needAssignee);
        document.getElementById('assign-team-detail')?.focus();
        return;
      }
      void busy(b, async () => {
        const forPublic = s === 'resolved' ? publicNote.value.trim() : '';
        const changes = {
          status: s,
          ...(note.value.trim() ? { note: note.value.trim() } : {}),
          ...(forPublic ? { resolution_note: forPublic } : {}),
        };
        if (await changeReport(ctx, f, changes, t.status(s), { undo: !changes.note })) {
          note.value = '';
          publicNote.value = '';
          done();
        }
      });
    });
    return b;
  });
  return h(
    'fieldset',
    { class: 'detail__group' },
    h('legend', {}, t.changeStatus),
    buttons.length ? h('div', { class: 'button-row' }, buttons) : h('p', { class: 'hint' }, t.noTransitions),
    transitions.includes('assigned') && nobody ? hint : null,
    buttons.length ? [h('label', { class: 'label label--small', for: 'status-note' }, t.statusNote), note] : null,
    transitions.includes('resolved')
      ? [
          h('label', { class: 'label label--small', for: 'status-public-note' }, t.publicNoteLabel),
          publicNote,
          h('p', { class: 'hint', id: 'status-public-hint' }, t.publicNoteHint),
        ]
      : null,
  );
}

function assignSection(ctx: Ctx, f: StaffFeature, done: () => void): HTMLElement {
  const p = f.properties;
  const team = h(
    'select',
    { id: 'assign-team-detail', class: 'input input--compact' },
    h('option', { value: '' }, t.nobody),
    ctx.teams.map((tm) => h('option', { value: String(tm.id), selected: tm.id === p.assigned_team_id }, tm.name)),
  );
  const person = h(
    'select',
    { id: 'assign-person', class: 'input input--compact' },
    h('option', { value: '' }, t.nobody),
    ctx.people.map((u) =>
      h(
        'option',
        { value: String(u.id), selected: u.id === p.assigned_user_id },
        `${u.name} (${t.role(u.role)}${u.team_id ? `, ${ctx.teams.find((x) => x.id === u.team_id)?.name ?? ''}` : ''})`,
      ),
    ),
  );
  const submit = h('button', { type: 'submit', class: 'button button--small', 'data-key': 'assign' }, t.assign);
  const form = h(
    'form',
    { class: 'detail__group detail__grid' },
    h('h3', {}, t.assignHeading),
    h('label', { class: 'label label--small', for: 'assign-team-detail' }, t.teamLabel),
    team,
    h('label', { class: 'label label--small', for: 'assign-person' }, t.personLabel),
    person,
    submit,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const changes = {
      assigned_team_id: team.value ? Number(team.value) : null,
      assigned_user_id: person.value ? Number(person.value) : null,
    };
    if (changes.assigned_team_id === null && changes.assigned_user_id === null && p.status === 'assigned') {
      showError(t.needAssignee);
      team.focus();
      return;
    }
    void busy(submit, async () => {
      const names = [team.selectedOptions[0]?.text, person.value ? person.selectedOptions[0]?.text : null];
      if (await changeReport(ctx, f, changes, `${t.assign}: ${names.filter(Boolean).join(', ')}`)) done();
    });
  });
  return form;
}

function correctSection(ctx: Ctx, f: StaffFeature, done: () => void): HTMLElement {
  const p = f.properties;
  const severity = h(
    'select',
    { id: 'detail-severity', class: 'input input--compact' },
    ([1, 2, 3] as Severity[]).map((s) =>
      h('option', { value: String(s), selected: s === p.severity }, `${s} — ${t.severity(p.kind, s)}`),
    ),
  );
  const category = h(
    'select',
    { id: 'detail-category', class: 'input input--compact' },
    [...ctx.categories.values()]
      .filter((c) => c.kind === p.kind)
      .map((c) => h('option', { value: c.code, selected: c.code === p.category }, labelOf(ctx, c.code))),
  );
  const submit = h(
    'button',
    { type: 'submit', class: 'button button--small', 'data-key': 'correct' },
    t.saveCorrection,
  );
  const form = h(
    'form',
    { class: 'detail__group detail__grid' },
    h('h3', {}, t.correctHeading),
    h('label', { class: 'label label--small', for: 'detail-severity' }, t.severityLabel),
    severity,
    h('label', { class: 'label label--small', for: 'detail-category' }, t.category),
    category,
    submit,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const changes: { severity?: number; category?: string } = {};
    if (Number(severity.value) !== p.severity) changes.severity = Number(severity.value);
    if (category.value && category.value !== p.category) changes.category = category.value;
    if (Object.keys(changes).length === 0) return;
    void busy(submit, async () => {
      if (await changeReport(ctx, f, changes, t.saved)) done();
    });
  });
  return form;
}

function duplicateSection(ctx: Ctx, f: StaffFeature, done: () => void): HTMLElement | null {
  if (!f.properties.allowed_transitions.includes('duplicate')) return null;
  const input = h('input', {
    id: 'detail-duplicate',
    class: 'input input--short',
    type: 'text',
    inputmode: 'numeric',
    autocomplete: 'off',
  });
  const submit = h(
    'button',
    { type: 'submit', class: 'button button--small', 'data-key': 'duplicate' },
    t.duplicateSubmit,
  );
  // The reason stays beside the field, not only in a notice or for screen readers.
  const error = h('p', { class: 'form-error', id: 'detail-duplicate-error' });
  input.setAttribute('aria-describedby', error.id);
  const form = h(
    'form',
    { class: 'detail__group detail__inline' },
    h('label', { class: 'label label--small', for: 'detail-duplicate' }, t.duplicateOfLabel),
    input,
    submit,
    error,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const original = Number(input.value.trim().replace(/^#/, ''));
    if (!Number.isSafeInteger(original) || original <= 0 || original === f.id) {
      announce(t.invalidId, 'assertive');
      error.textContent = t.invalidId;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    error.textContent = '';
    input.removeAttribute('aria-invalid');
    void busy(submit, async () => {
      if (await markDuplicate(ctx, f, original)) {
        input.value = '';
        done();
      }
    });
  });
  return form;
}

export function noteForm(ctx: Ctx, f: StaffFeature, done: () => void): HTMLElement {
  const body = h('textarea', { id: 'note-body', class: 'input input--note', rows: 3, maxlength: 4000, required: true });
  const submit = h('button', { type: 'submit', class: 'button button--small', 'data-key': 'note' }, t.addNote);
  const form = h(
    'form',
    { class: 'detail__group' },
    h('label', { class: 'label label--small', for: 'note-body' }, t.noteLabel),
    body,
    submit,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = body.value.trim();
    if (!text) return body.focus();
    void busy(submit, async () => {
      try {
        await ctx.api.addNote(f.id, text);
        body.value = '';
        showResult(t.noteAdded);
        done();
      } catch (err) {
        // An ended session keeps the note; it is sent after signing in again (main.ts).
        if (err instanceof SessionExpired)
          pending.push({
            what: t.changed(f.id, t.noteAdded.replace(/\.$/, '')),
            send: async () => {
              await ctx.api.addNote(f.id, text);
              if (body.value.trim() === text) body.value = '';
            },
          });
        else showError(problemText(err, t.noteFailed));
      }
    });
  });
  return form;
}

export function actionSections(ctx: Ctx, f: StaffFeature, done: () => void): HTMLElement {
  return h(
    'section',
    { class: 'detail__section', 'aria-labelledby': 'detail-actions' },
    h('h3', { id: 'detail-actions' }, t.actions),
    statusSection(ctx, f, done),
    assignSection(ctx, f, done),
    duplicateSection(ctx, f, done),
    correctSection(ctx, f, done),
  );
}
