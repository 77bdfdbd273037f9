/**
 * Step 2, "What is it?": every category as a large radio tile with its icon and words, in two
 * fieldsets, so a screen reader hears "Barrier" or "I need help" with each choice.
 * The report's kind follows from the category; nobody has to choose it separately.
 */
import type { Category, Kind } from '../lib/api';
import { categoryIcon } from '../lib/category-icons';
import { categoryDescription, categoryLabel } from '../lib/categories';
import { h } from '../lib/dom';
import { t } from '../lib/strings';
import type { FieldErrors } from './errors';
import type { DraftState } from './state';

export interface CategoryStep {
  section: HTMLElement;
  setCategories(list: Category[]): void;
  showLoadError(): void;
  reset(): void;
}

export function createCategoryStep(state: DraftState, errors: FieldErrors): CategoryStep {
  const groups = h('div', { class: 'category-groups' });
  const chosen = h('p', { class: 'hint category-chosen' });
  let radios: HTMLInputElement[] = [];
  const errorSlot = errors.slot('category', ['category', 'kind'], () => radios.slice(0, 1));
  let byCode = new Map<string, Category>();

  function fieldset(kind: Kind, legend: string, list: Category[]): HTMLElement {
    const tiles = list.map((cat) => {
      const id = `category-${cat.code}`;
      const descId = `${id}-desc`;
      const radio = h('input', {
        type: 'radio',
        name: 'category',
        value: cat.code,
        id,
        class: 'tile__input',
        'aria-describedby': descId,
      });
      radios.push(radio);
      return h(
        'div',
        { class: 'tile' },
        radio,
        h(
          'label',
          { for: id, class: 'tile__box' },
          h('span', { class: 'tile__icon', 'aria-hidden': 'true' }, categoryIcon(cat)),
          h('span', { class: 'tile__label' }, categoryLabel(cat)),
        ),
        h('span', { class: 'visually-hidden', id: descId }, categoryDescription(cat)),
      );
    });
    return h(
      'fieldset',
      { class: `category-set category-set--${kind}` },
      h('legend', {}, legend),
      h('div', { class: 'tile-grid' }, tiles),
    );
  }

  groups.addEventListener('change', (e) => {
    const target = e.target as HTMLInputElement;
    if (target.name !== 'category') return;
    const cat = byCode.get(target.value) ?? null;
    chosen.textContent = cat ? `${categoryLabel(cat)}: ${categoryDescription(cat)}` : '';
    state.setCategory(cat);
  });

  const section = h(
    'section',
    { class: 'step', 'aria-labelledby': 'step-what' },
    h('h2', { id: 'step-what' }, h('span', { class: 'step__num', 'aria-hidden': 'true' }, '2'), t.categoryHeading),
    groups,
    chosen,
    errorSlot,
  );

  return {
    section,
    setCategories(list) {
      byCode = new Map(list.map((c) => [c.code, c]));
      radios = [];
      groups.replaceChildren(
        fieldset(
          'barrier',
          t.barrierLegend,
          list.filter((c) => c.kind === 'barrier'),
        ),
        fieldset(
          'help',
          t.helpLegend,
          list.filter((c) => c.kind === 'help'),
        ),
      );
    },
    showLoadError() {
      groups.replaceChildren(h('p', { class: 'notice notice--error', role: 'alert' }, t.categoriesFailed));
    },
    reset() {
      for (const r of radios) r.checked = false;
      chosen.textContent = '';
      state.setCategory(null);
    },
  };
}
