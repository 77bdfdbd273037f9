/**
 * Step 3, "Details": severity in plain words, then what depends on the kind (passability for
 * a barrier, number of people for a help request), a description and an optional contact.
 */
import type { Kind, Passability, Severity } from '../lib/api';
import { announce } from '../lib/announce';
import { h } from '../lib/dom';
import { t } from '../lib/strings';
import type { FieldErrors } from './errors';
import type { DraftState } from './state';

export const DESCRIPTION_MAX = 4000;
const LEVELS: Severity[] = [1, 2, 3];
const PASSABILITY: (Passability | 'unknown')[] = ['yes', 'limited', 'no', 'unknown'];

export interface DetailsStep {
  section: HTMLElement;
  /** Step 3's first question, brought into view once a category is tapped. */
  severityFieldset: HTMLElement;
  /** The photo fieldset is built elsewhere and slotted in before the contact field. */
  photoSlot: HTMLElement;
  values(): {
    severity: Severity | null;
    passability: Passability | undefined;
    peopleCount: number | null | 'invalid';
    description: string;
    contact: string;
  };
  severityRadios(): HTMLInputElement[];
  peopleInput: HTMLInputElement;
  /** After values were put back (a re-rendered page): brings the character counter up to date. */
  syncCounter(): void;
  reset(): void;
}

function radio(name: string, value: string, label: string, hint?: string): [HTMLInputElement, HTMLElement] {
  const id = `${name}-${value}`;
  const input = h('input', {
    type: 'radio',
    name,
    value,
    id,
    class: 'choice__input',
    'aria-describedby': hint ? `${id}-hint` : undefined,
  });
  const box = h(
    'div',
    { class: 'choice' },
    input,
    h('label', { for: id, class: 'choice__label' }, label),
    hint ? h('span', { class: 'choice__hint', id: `${id}-hint` }, hint) : null,
  );
  return [input, box];
}

export function createDetailsStep(state: DraftState, errors: FieldErrors): DetailsStep {
  const severityLegend = h('legend', {}, t.severityLegend);
  const severityChoices = h('div', { class: 'choices' });
  let severityInputs: HTMLInputElement[] = [];
  const severityError = errors.slot('severity', ['severity'], () => severityInputs.slice(0, 1));

  function renderSeverity(kind: Kind | null): void {
    const checked = severityInputs.find((r) => r.checked)?.value;
    severityLegend.textContent = kind === 'help' ? t.severityLegendHelp : t.severityLegend;
    const built = LEVELS.map((level) => {
      const words = t.severity(kind, level);
      return radio('severity', String(level), `${level} — ${words.label}`, words.hint);
    });
    severityInputs = built.map(([input]) => input);
    for (const input of severityInputs) input.checked = input.value === checked;
    severityChoices.replaceChildren(...built.map(([, box]) => box));
  }
  renderSeverity(null);

  const passChoices = PASSABILITY.map((p) => radio('passability', p, t.passability(p)));
  const passSet = h(
    'fieldset',
    { class: 'field', hidden: true },
    h('legend', {}, t.passabilityLegend),
    h(
      'div',
      { class: 'choices choices--compact' },
      passChoices.map(([, box]) => box),
    ),
    errors.slot('passability', ['passability'], () => passChoices.slice(0, 1).map(([i]) => i)),
  );

  const peopleInput = h('input', {
    type: 'number',
    id: 'people-count',
    name: 'people_count',
    inputmode: 'numeric',
    min: 1,
    max: 10_000,
    step: 1,
    class: 'input input--short',
  });
  const peopleField = h(
    'div',
    { class: 'field', hidden: true },
    h('label', { for: 'people-count', class: 'label' }, t.peopleLabel),
    peopleInput,
    errors.slot('people', ['people_count'], () => [peopleInput]),
  );

  const description = h('textarea', {
    id: 'description',
    name: 'description',
    rows: 4,
    maxlength: DESCRIPTION_MAX,
    class: 'input',
    'aria-describedby': 'description-hint description-count',
  });
  // Same id whichever kind: the textarea's aria-describedby names it once.
  const descriptionHint = h('p', { class: 'hint', id: 'description-hint' }, t.descriptionHint);
  const counter = h('p', { class: 'hint counter', id: 'description-count' }, t.charsLeft(DESCRIPTION_MAX));
  let lastBand = 0;
  function count(speak: boolean): void {
    const left = DESCRIPTION_MAX - description.value.length;
    counter.textContent = t.charsLeft(left);
    counter.classList.toggle('counter--low', left <= 200);
    // Announce only when crossing a band, so typing is not drowned out by numbers.
    const band = left <= 0 ? 3 : left <= 100 ? 2 : left <= 500 ? 1 : 0;
    if (speak && band > lastBand) announce(t.charsLeft(left));
    lastBand = band;
  }
  description.addEventListener('input', () => count(true));

  const contact = h('input', {
    type: 'text',
    id: 'contact',
    name: 'contact',
    autocomplete: 'email',
    maxlength: 200,
    class: 'input',
    'aria-describedby': 'contact-hint',
  });
  const photoSlot = h('div', { class: 'photo-slot' });

  state.subscribe((changed) => {
    if (changed !== 'category') return;
    const kind = state.category?.kind ?? null;
    renderSeverity(kind);
    passSet.hidden = kind !== 'barrier';
    peopleField.hidden = kind !== 'help';
    descriptionHint.textContent = kind === 'help' ? t.descriptionHintHelp : t.descriptionHint;
  });

  const severityFieldset = h('fieldset', { class: 'field' }, severityLegend, severityChoices, severityError);
  const section = h(
    'section',
    { class: 'step', 'aria-labelledby': 'step-details' },
    h('h2', { id: 'step-details' }, h('span', { class: 'step__num', 'aria-hidden': 'true' }, '3'), t.detailsHeading),
    severityFieldset,
    passSet,
    peopleField,
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'description', class: 'label' }, t.descriptionLabel),
      descriptionHint,
      description,
      counter,
      errors.slot('description', ['description'], () => [description]),
    ),
    photoSlot,
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'contact', class: 'label' }, t.contactLabel),
      h('p', { class: 'hint hint--private', id: 'contact-hint' }, t.contactHint),
      contact,
      errors.slot('contact', ['contact'], () => [contact]),
    ),
  );

  return {
    section,
    severityFieldset,
    photoSlot,
    peopleInput,
    severityRadios: () => severityInputs,
    syncCounter: () => count(false),
    values() {
      const sev = severityInputs.find((r) => r.checked)?.value;
      const pass = passChoices.find(([i]) => i.checked)?.[0].value;
      const raw = peopleInput.value.trim();
      const people = Number(raw);
      return {
        severity: sev ? (Number(sev) as Severity) : null,
        passability: pass && pass !== 'unknown' ? (pass as Passability) : undefined,
        peopleCount:
          raw === '' ? null : Number.isInteger(people) && people >= 1 && people <= 10_000 ? people : 'invalid',
        description: description.value.trim(),
        contact: contact.value.trim(),
      };
    },
    reset() {
      for (const r of severityInputs) r.checked = false;
      for (const [i] of passChoices) i.checked = false;
      peopleInput.value = '';
      description.value = '';
      contact.value = '';
      counter.textContent = t.charsLeft(DESCRIPTION_MAX);
      counter.classList.remove('counter--low');
      lastBand = 0;
    },
  };
}
