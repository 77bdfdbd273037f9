/**
 * What a coordinator does with an opened message (or several selected ones): place it, choose
 * category, severity and words, and file it as a new report; or add it to an existing report;
 * or set it aside as spam or not a report. The server's field errors show beside their field.
 */
import { ApiError, NetworkError } from '../lib/api';
import { h } from '../lib/dom';
import { SessionExpired } from '../lib/staff-api';
import { fieldErrors, inboxApi, type InboxMessage } from './inbox-api';
import { createPlacer } from './inbox-place';
import { is } from './inbox-strings';
import { labelOf, type Ctx } from './state';

export type Outcome =
  { kind: 'filed' | 'added'; reportId: number; ids: number[] } | { kind: 'spam' | 'not_report'; ids: number[] };

export interface InboxForm {
  el: HTMLElement;
  /** Someone else handled a message: nothing here can be sent any more. */
  disable(): void;
  destroy(): void;
}

/** A message the person can read, in words: what went wrong and what to do. */
export function inboxError(err: unknown): string {
  const e = is().errors;
  if (err instanceof NetworkError) return e.network;
  if (err instanceof SessionExpired) return '';
  if (!(err instanceof ApiError)) return e.server;
  if (err.status === 403) return e.forbidden;
  if (err.status === 404) return e.notFound;
  if (err.status === 409) return e.conflict;
  if (err.status === 400 || err.status === 422)
    return e.invalid(err.problem?.errors?.map((x) => `${x.field} ${x.detail}`).join('; ') || err.problem?.detail || '');
  return e.server;
}

export function createInboxForm(
  ctx: Ctx,
  messages: InboxMessage[],
  done: (outcome: Outcome) => void,
  failed: (err: unknown, message: string) => void,
): InboxForm {
  const s = is();
  const ids = messages.map((m) => m.id);
  const first = messages[0]!;
  const id = `inbox-${first.id}`;
  const placer = createPlacer(ctx, messages.find((m) => m.place)?.place ?? null, id);

  const errorOf = (field: string) => h('p', { class: 'form-error', id: `${id}-${field}-error` });
  const errors = {
    category: errorOf('category'),
    severity: errorOf('severity'),
    description: errorOf('description'),
    report_id: errorOf('report'),
  };
  const preset = messages.find((m) => m.category)?.category ?? '';
  // As a message filed at once: urgent words (or a help request) make it severity 3.
  const urgent = messages.some((m) => m.urgent);
  const group = (kind: string, label: string) =>
    h(
      'optgroup',
      { label },
      [...ctx.categories.values()]
        .filter((c) => c.kind === kind)
        .map((c) => h('option', { value: c.code }, labelOf(ctx, c.code))),
    );
  const category = h(
    'select',
    { id: `${id}-category`, class: 'input', 'aria-describedby': `${id}-category-error` },
    h('option', { value: '' }, s.chooseCategory),
    group('barrier', s.groupBarrier),
    group('help', s.groupHelp),
  );
  category.value = preset;
  const severity = h(
    'fieldset',
    { class: 'inbox-form__severity', 'aria-describedby': `${id}-severity-error` },
    h('legend', {}, s.severity),
    s.severities.map((label, i) =>
      h(
        'label',
        { class: 'inbox-form__radio' },
        h('input', {
          type: 'radio',
          name: `${id}-severity`,
          value: String(i + 1),
          checked: i + 1 === (urgent ? 3 : 2),
        }),
        ` ${label}`,
      ),
    ),
    errors.severity,
  );
  const description = h('textarea', {
    id: `${id}-description`,
    class: 'input',
    rows: 4,
    maxlength: 4000,
    'aria-describedby': `${id}-description-hint ${id}-description-error`,
  });
  description.value = messages
    .map((m) => m.body.trim())
    .filter(Boolean)
    .join('\n\n')
    .slice(0, 4000);
  const fileButton = h('button', { type: 'button', class: 'button button--primary' }, s.fileNew);
  const existing = h('input', {
    id: `${id}-report`,
    class: 'input inbox-form__number',
    type: 'text',
    inputmode: 'numeric',
    autocomplete: 'off',
    'aria-describedby': `${id}-report-hint ${id}-report-error`,
  });
  const existingButton = h('button', { type: 'button', class: 'button' }, s.fileExisting);
  const spamButton = h('button', { type: 'button', class: 'button', 'data-action': 'spam' }, s.spam);
  const notButton = h('button', { type: 'button', class: 'button', 'data-action': 'not_report' }, s.notReport);
  const buttons = [fileButton, existingButton, spamButton, notButton];

  function clearErrors(): void {
    for (const p of Object.values(errors)) p.textContent = '';
    for (const f of [category, description, existing]) f.removeAttribute('aria-invalid');
  }

  async function run(action: () => Promise<Outcome>): Promise<void> {
    clearErrors();
    for (const b of buttons) b.disabled = true;
    try {
      done(await action());
    } catch (err) {
      for (const b of buttons) b.disabled = false;
      const fields = fieldErrors(err);
      const where: [string, HTMLElement | null, HTMLElement | null][] = [
        ['category', errors.category, category],
        ['severity', errors.severity, null],
        ['description', errors.description, description],
        ['report_id', errors.report_id, existing],
      ];
      let focus: HTMLElement | null = null;
      const place = [fields.get('lat'), fields.get('lon')].filter(Boolean).join('; ');
      if (place) {
        placer.showError(place);
        focus = placer.el.querySelector('input');
      }
      for (const [field, p, input] of where) {
        const detail = fields.get(field);
        if (!detail || !p) continue;
        p.textContent = detail;
        input?.setAttribute('aria-invalid', 'true');
        focus ??= input ?? severity.querySelector('input');
      }
      if (err instanceof ApiError && err.status === 404 && existing.value) {
        errors.report_id.textContent = s.errors.notFound;
        focus = existing;
      }
      const known = ['lat', 'lon', 'category', 'severity', 'description', 'report_id'];
      const rest = [...fields].filter(([f]) => !known.includes(f));
      failed(err, focus && rest.length === 0 ? '' : inboxError(err));
      focus?.focus();
      // The field and the words beside it both in view (focus alone may leave the error below the fold).
      el.querySelector('.form-error:not(:empty)')?.scrollIntoView({ block: 'nearest' });
    }
  }

  fileButton.addEventListener('click', () => {
    const place = placer.value();
    if (!place) {
      placer.showError(s.errors.place);
      placer.focus();
      return;
    }
    if (!category.value) {
      clearErrors();
      errors.category.textContent = s.errors.category;
      category.setAttribute('aria-invalid', 'true');
      category.focus();
      return;
    }
    const sev = Number(severity.querySelector<HTMLInputElement>('input:checked')?.value ?? 2);
    const words = description.value.trim();
    void run(async () => {
      const r = await inboxApi.file(ctx, {
        message_ids: ids,
        lat: place.lat,
        lon: place.lon,
        category: category.value,
        severity: sev,
        ...(words ? { description: words } : {}),
      });
      return { kind: 'filed', reportId: r.report_id, ids };
    });
  });
  existingButton.addEventListener('click', () => {
    const n = Number(existing.value.trim().replace(/^#/, ''));
    if (!Number.isSafeInteger(n) || n <= 0) {
      clearErrors();
      errors.report_id.textContent = s.errors.existing;
      existing.setAttribute('aria-invalid', 'true');
      existing.focus();
      return;
    }
    void run(async () => {
      const r = await inboxApi.file(ctx, { message_ids: ids, report_id: n });
      return { kind: 'added', reportId: r.report_id, ids };
    });
  });
  for (const [button, state] of [
    [spamButton, 'spam'],
    [notButton, 'not_report'],
  ] as const)
    button.addEventListener(
      'click',
      () =>
        void run(async () => {
          for (const m of ids) await inboxApi.setState(ctx, m, state);
          return { kind: state, ids };
        }),
    );

  const field = (label: string, control: HTMLElement, forId: string, ...after: HTMLElement[]) =>
    h('div', { class: 'field' }, h('label', { class: 'label', for: forId }, label), control, ...after);
  const el = h(
    'div',
    { class: 'inbox-form' },
    placer.el,
    field(s.category, category, `${id}-category`, errors.category),
    severity,
    field(
      s.description,
      description,
      `${id}-description`,
      h('p', { class: 'hint', id: `${id}-description-hint` }, s.descriptionHint),
      errors.description,
    ),
    h('div', { class: 'inbox-form__actions' }, fileButton),
    h(
      'div',
      { class: 'inbox-form__existing' },
      field(
        s.existing,
        h('div', { class: 'inbox-place__coords' }, existing, existingButton),
        `${id}-report`,
        h('p', { class: 'hint', id: `${id}-report-hint` }, s.existingHint),
        errors.report_id,
      ),
    ),
    h('div', { class: 'inbox-form__actions' }, spamButton, notButton),
  );

  return {
    el,
    disable() {
      for (const b of buttons) b.disabled = true;
    },
    destroy: () => placer.destroy(),
  };
}
