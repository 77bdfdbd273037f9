/**
 * The filter form: an area (four numbers), a date range, and category, kind, status and
 * severity choices. It reports a DataFilter on every change, or the fields that are wrong.
 */
import type { Category } from '../lib/api';
import { h, uid } from '../lib/dom';
import { language } from '../lib/i18n';
import { t } from './strings';
import type { DataFilter } from './urls';

export interface FieldProblem {
  input: HTMLInputElement;
  message: string;
}

/** The values each group offers, in order; their words are in the strings (t.statuses…). */
const STATUSES = ['new', 'verified', 'assigned', 'in_progress', 'resolved', 'duplicate'];
const KINDS = ['barrier', 'help'];
const SEVERITIES = ['1', '2', '3'];
const choices = (values: string[], words: Record<string, string>) =>
  values.map((v): [string, string] => [v, words[v] ?? v]);

function checkboxGroup(legend: string, name: string, choices: [string, string][], hint?: string): HTMLFieldSetElement {
  const hintId = hint ? uid('hint') : undefined;
  return h(
    'fieldset',
    { class: 'choices', 'aria-describedby': hintId },
    h('legend', {}, legend),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    // The label wraps its box, so the whole row is the target, not only the box.
    choices.map(([value, label]) =>
      h('label', { class: 'choice' }, h('input', { type: 'checkbox', name, value }), h('span', {}, label)),
    ),
  );
}

function numberField(name: string, label: string, placeholder: string): HTMLElement {
  const id = `bbox-${name}`;
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    h('input', {
      id,
      name,
      type: 'text',
      inputmode: 'decimal',
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder,
      'aria-describedby': `${id}-error`,
    }),
    h('p', { class: 'error', id: `${id}-error`, hidden: true }),
  );
}

export function buildFilterForm(categories: Category[] | null): HTMLFormElement {
  const barrierCategories = (categories ?? []).filter((c) => c.kind === 'barrier');
  const helpCategories = (categories ?? []).filter((c) => c.kind === 'help');
  const categoryChoices = (list: Category[]) =>
    list.map((c): [string, string] => [c.code, c.labels[language()] ?? c.labels.en ?? c.code]);
  return h(
    'form',
    { class: 'filters', id: 'filters', novalidate: true },
    h('h2', { id: 'filters-heading' }, t.filtersHeading),
    h('p', { class: 'hint' }, t.filtersIntro),
    h(
      'fieldset',
      { class: 'area', 'aria-describedby': 'area-hint' },
      h('legend', {}, t.areaLegend),
      h('p', { class: 'hint', id: 'area-hint' }, t.areaHint),
      h(
        'div',
        { class: 'area__grid' },
        numberField('west', t.west, t.example('13.08')),
        numberField('south', t.south, t.example('52.33')),
        numberField('east', t.east, t.example('13.76')),
        numberField('north', t.north, t.example('52.68')),
      ),
    ),
    h(
      'fieldset',
      { class: 'dates', 'aria-describedby': 'dates-hint' },
      h('legend', {}, t.datesLegend),
      h('p', { class: 'hint', id: 'dates-hint' }, t.datesHint),
      h(
        'div',
        { class: 'dates__grid' },
        h(
          'div',
          { class: 'field' },
          h('label', { for: 'date-from' }, t.from),
          h('input', { id: 'date-from', name: 'from', type: 'date' }),
        ),
        h(
          'div',
          { class: 'field' },
          h('label', { for: 'date-to' }, t.to),
          h('input', { id: 'date-to', name: 'to', type: 'date', 'aria-describedby': 'date-to-error' }),
          h('p', { class: 'error', id: 'date-to-error', hidden: true }),
        ),
      ),
    ),
    checkboxGroup(t.kindLegend, 'kind', choices(KINDS, t.kinds)),
    checkboxGroup(t.severityLegend, 'severity', choices(SEVERITIES, t.severities)),
    checkboxGroup(t.statusLegend, 'status', choices(STATUSES, t.statuses), t.statusHint),
    categories
      ? h(
          'div',
          { class: 'categories' },
          checkboxGroup(t.barrierCategories, 'category', categoryChoices(barrierCategories)),
          checkboxGroup(t.helpCategories, 'category', categoryChoices(helpCategories)),
        )
      : h('p', { class: 'error', role: 'status' }, t.categoriesFailed),
    h('button', { type: 'reset', class: 'button button--secondary' }, t.clearFilters),
  );
}

const checked = (form: HTMLFormElement, name: string) =>
  [...form.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)].map((i) => i.value);

function coordinate(form: HTMLFormElement, name: string, limit: number, problems: FieldProblem[]): number | undefined {
  const input = form.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
  const text = input.value.trim().replace(',', '.');
  if (text === '') return undefined;
  const value = /^[-+−]?(?:\d+(?:\.\d*)?|\.\d+)$/.test(text) ? Number(text.replace('−', '-')) : NaN;
  if (!Number.isFinite(value) || Math.abs(value) > limit) {
    problems.push({ input, message: t.badCoordinate(limit) });
    return undefined;
  }
  return value;
}

/** Reads the form; a filter when every field is valid, otherwise the fields at fault. */
export function readFilter(form: HTMLFormElement): { filter: DataFilter } | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const west = coordinate(form, 'west', 180, problems);
  const south = coordinate(form, 'south', 90, problems);
  const east = coordinate(form, 'east', 180, problems);
  const north = coordinate(form, 'north', 90, problems);
  const given = [west, south, east, north].filter((v) => v !== undefined).length;
  const inputs = ['west', 'south', 'east', 'north'].map((n) =>
    form.querySelector<HTMLInputElement>(`input[name="${n}"]`)!,
  );
  if (!problems.length && given > 0 && given < 4) {
    for (const input of inputs.filter((i) => i.value.trim() === '')) {
      problems.push({ input, message: t.allFourOrNone });
    }
  }
  if (!problems.length && given === 4 && south! > north!) {
    problems.push({ input: inputs[3]!, message: t.northOfSouth });
  }
  const from = form.querySelector<HTMLInputElement>('input[name="from"]')!.value;
  const toInput = form.querySelector<HTMLInputElement>('input[name="to"]')!;
  if (from && toInput.value && toInput.value < from) {
    problems.push({ input: toInput, message: t.endBeforeStart });
  }
  if (problems.length) return { problems };
  return {
    filter: {
      bbox: given === 4 ? [west!, south!, east!, north!] : undefined,
      from: from || undefined,
      to: toInput.value || undefined,
      categories: checked(form, 'category'),
      kinds: checked(form, 'kind'),
      statuses: checked(form, 'status'),
      severities: checked(form, 'severity'),
    },
  };
}

/** Shows each problem under its field (and clears the rest); returns the first bad input. */
export function showProblems(form: HTMLFormElement, problems: FieldProblem[]): HTMLInputElement | undefined {
  for (const input of form.querySelectorAll<HTMLInputElement>('input[aria-invalid]'))
    input.removeAttribute('aria-invalid');
  for (const p of form.querySelectorAll<HTMLElement>('.error[id]')) {
    p.hidden = true;
    p.textContent = '';
  }
  for (const { input, message } of problems) {
    input.setAttribute('aria-invalid', 'true');
    const error = document.getElementById(`${input.id}-error`);
    if (error) {
      error.textContent = message;
      error.hidden = false;
    }
  }
  return problems[0]?.input;
}
