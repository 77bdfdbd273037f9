/**
 * One report to check: its photos, category, words, how far and which way, and the three
 * answers (plus Skip). "Wrong category" and "Flag" open a small form in place; Cancel returns.
 */
import type { Category } from '../lib/api';
import { h } from '../lib/dom';
import { t } from './strings';

export interface CheckableReport {
  id: number;
  category: string;
  description: string | null;
  address: string | null;
  distance_m: number;
  bearing_deg: number;
  /** `stage`: 'report' shows the barrier, 'resolution' a fix (absent from older servers). */
  photos: { url: string; thumbnail_url: string; width: number; height: number; stage?: string }[];
}

interface CheckAnswer {
  verified: boolean;
  recategorized: boolean;
}

export interface CardOptions {
  position: string;
  categories: Category[];
  label: (code: string) => string;
  send: (body: Record<string, string>) => Promise<unknown>;
  /** To the next report; `message` is what to announce after a sent check (none after Skip). */
  next: (message?: string) => void;
}

/**
 * The photos, one under the other; with both a barrier's and a fix's, each under a caption
 * saying which, so nobody judges the barrier by the fix's photo (or the other way round).
 */
function photos(report: CheckableReport, label: string): HTMLElement[] {
  const img = (p: CheckableReport['photos'][number], i: number) =>
    h('img', {
      src: p.url,
      alt: t.photoAlt(i + 1, label),
      width: p.width,
      height: p.height,
      loading: 'lazy',
      decoding: 'async',
    });
  const after = (p: CheckableReport['photos'][number]) => p.stage === 'resolution';
  const both = report.photos.some(after) && report.photos.some((p) => !after(p));
  if (!both) return report.photos.map(img);
  return report.photos.map((p, i) =>
    h('figure', { class: 'volunteer-photo' }, img(p, i), h('figcaption', {}, after(p) ? t.photoAfter : t.photoBefore)),
  );
}

const direction = (deg: number) => t.directions[Math.round((((deg % 360) + 360) % 360) / 45) % 8]!;

export function checkCard(report: CheckableReport, o: CardOptions): HTMLElement {
  const label = o.label(report.category);
  const error = h('p', { class: 'form-error', role: 'alert' });
  const answers = h('div', { class: 'volunteer-actions' });

  const send = (body: Record<string, string>, button: HTMLButtonElement) => {
    error.textContent = '';
    button.disabled = true;
    o.send(body)
      .then((answer) => {
        const a = answer as CheckAnswer;
        const verdict = body.verdict as keyof typeof t.thanks;
        o.next(a.verified ? t.verified : a.recategorized ? t.recategorized : t.thanks[verdict]);
      })
      .catch((err: unknown) => {
        const p = (err as { problem?: { errors?: { detail: string }[]; detail?: string } }).problem;
        error.textContent = p?.errors?.map((e) => e.detail).join(' ') ?? p?.detail ?? t.loadFailed;
        button.disabled = false;
      });
  };

  const button = (text: string, kind = '') => h('button', { type: 'button', class: `button ${kind}` }, text);

  function choices(): void {
    const confirm = button(t.confirm, 'button--primary');
    confirm.addEventListener('click', () => send({ verdict: 'confirm' }, confirm));
    const wrong = button(t.wrongCategory);
    wrong.addEventListener('click', recategorize);
    const flag = button(t.flag);
    flag.addEventListener('click', flagForm);
    const skip = button(t.skipReport, 'button--subtle');
    skip.addEventListener('click', () => o.next());
    answers.replaceChildren(h('p', { class: 'volunteer-question' }, t.question), confirm, wrong, flag, skip);
  }

  function back(form: HTMLElement): HTMLButtonElement {
    const cancel = button(t.cancel, 'button--subtle');
    cancel.addEventListener('click', () => {
      choices();
      answers.querySelector<HTMLButtonElement>('button')?.focus();
    });
    form.append(cancel);
    return cancel;
  }

  function radios(name: string, legend: string, items: [string, string][]): HTMLFieldSetElement {
    return h(
      'fieldset',
      {},
      h('legend', {}, legend),
      ...items.map(([value, text]) =>
        h('label', { class: 'choice' }, h('input', { type: 'radio', name, value, required: true }), text),
      ),
    );
  }

  /** The checked radio's value; none: the question as the error, focus on the first choice. */
  function chosen(form: HTMLFormElement, question: string): string | undefined {
    const value = form.querySelector<HTMLInputElement>('input:checked')?.value;
    if (!value) {
      error.textContent = question;
      form.querySelector<HTMLInputElement>('input[type="radio"]')?.focus();
    }
    return value;
  }

  function recategorize(): void {
    const others = o.categories.filter((c) => c.code !== report.category);
    const set = radios(
      `cat-${report.id}`,
      t.pickCategory,
      others.map((c) => [c.code, o.label(c.code)]),
    );
    const save = h('button', { type: 'submit', class: 'button button--primary' }, t.saveCategory);
    const form = h('form', { class: 'volunteer-form' }, set, save);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const code = chosen(form, t.pickCategory);
      if (code) send({ verdict: 'recategorize', category: code }, save);
    });
    back(form);
    answers.replaceChildren(form);
    form.querySelector<HTMLInputElement>('input')?.focus();
  }

  function flagForm(): void {
    const set = radios(`reason-${report.id}`, t.flagReason, Object.entries(t.reasons));
    const note = h('textarea', { class: 'input', maxlength: 500, rows: 3, id: `note-${report.id}` });
    const save = h('button', { type: 'submit', class: 'button button--primary' }, t.sendFlag);
    const form = h('form', { class: 'volunteer-form' }, set, h('label', { for: note.id }, t.note), note, save);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const reason = chosen(form, t.flagReason);
      if (!reason) return;
      const body: Record<string, string> = { verdict: 'flag', reason };
      if (note.value.trim()) body.note = note.value.trim();
      send(body, save);
    });
    back(form);
    answers.replaceChildren(form);
    form.querySelector<HTMLInputElement>('input')?.focus();
  }

  choices();
  return h(
    'article',
    { class: 'volunteer-card', 'aria-labelledby': `report-${report.id}` },
    // The counter is this list's, not a report number; the number links to the public page.
    h('p', { class: 'hint' }, o.position),
    h('h2', { id: `report-${report.id}`, tabindex: -1 }, label),
    h('p', { class: 'volunteer-number' }, h('a', { href: `/reports/${report.id}` }, t.reportNumber(report.id))),
    h('p', {}, t.away(report.distance_m, direction(report.bearing_deg)), report.address ? ` · ${report.address}` : ''),
    ...photos(report, label),
    h('p', {}, report.description ?? t.noDescription),
    error,
    answers,
  );
}
