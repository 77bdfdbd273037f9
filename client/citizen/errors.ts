/**
 * Field errors, whether found here or sent by the server as problem+json `errors[]`: each
 * message goes next to its field, is tied to the control with aria-describedby, and the first
 * invalid field in page order gets focus.
 */
import type { Problem } from '../lib/api';
import { h } from '../lib/dom';
import { t } from '../lib/strings';

/** "photos[2]" or "photos.2" → ["photos", 2]. */
function splitField(field: string): [string, number | null] {
  const m = /^([a-z_]+)(?:\[(\d+)\]|\.(\d+))?/i.exec(field);
  if (!m) return [field, null];
  const index = m[2] ?? m[3];
  return [m[1] ?? field, index !== undefined ? Number(index) : null];
}

/** A message with its field's name, in the way the current language words it. */
function phrase(field: string, detail: string): string {
  const [base, index] = splitField(field);
  return t.fieldError(t.fieldName(base, index), detail);
}

interface Slot {
  message: HTMLElement;
  controls: () => HTMLElement[];
}

export class FieldErrors {
  private slots = new Map<string, Slot>();
  private byField = new Map<string, string>();

  /** One message element shared by several server field names (e.g. lat and lon). */
  slot(name: string, fields: string[], controls: () => HTMLElement[]): HTMLElement {
    const message = h('p', { class: 'field-error', id: `error-${name}`, hidden: true });
    this.slots.set(name, { message, controls });
    for (const f of fields) this.byField.set(f, name);
    return message;
  }

  clear(): void {
    for (const slot of this.slots.values()) {
      slot.message.hidden = true;
      slot.message.textContent = '';
      for (const c of slot.controls()) {
        c.removeAttribute('aria-invalid');
        setDescribedBy(c, slot.message.id, false);
      }
    }
  }

  /**
   * Shows messages keyed by field name ("photos[0]" and "photos.0" count as "photos").
   * Returns the messages no field claimed, for a form-level summary.
   */
  show(errors: { field: string; detail: string }[]): string[] {
    const unclaimed: string[] = [];
    const shown: Slot[] = [];
    for (const e of errors) {
      const [base] = splitField(e.field);
      const slot = this.slots.get(this.byField.get(base) ?? '');
      const text = phrase(e.field, e.detail);
      if (!slot) {
        unclaimed.push(text);
        continue;
      }
      slot.message.textContent = slot.message.hidden ? text : `${slot.message.textContent} ${text}`;
      slot.message.hidden = false;
      for (const c of slot.controls()) {
        c.setAttribute('aria-invalid', 'true');
        setDescribedBy(c, slot.message.id, true);
      }
      shown.push(slot);
    }
    const first = shown
      .flatMap((s) => s.controls().slice(0, 1))
      .sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1))[0];
    first?.focus();
    return unclaimed;
  }

  showProblem(problem: Problem | null): string[] {
    return this.show(problem?.errors ?? []);
  }

  count(): number {
    return [...this.slots.values()].filter((s) => !s.message.hidden).length;
  }
}

function setDescribedBy(el: HTMLElement, id: string, on: boolean): void {
  const ids = new Set((el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean));
  if (on) ids.add(id);
  else ids.delete(id);
  if (ids.size) el.setAttribute('aria-describedby', [...ids].join(' '));
  else el.removeAttribute('aria-describedby');
}
