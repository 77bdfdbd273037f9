/**
 * The publication part of the report details: the same state, text, photos and decisions as
 * the moderation view, in the narrow panel. The panel is rebuilt after every change, so the
 * last result or error is kept here and shown again in the new panel until another report opens.
 */
import { h } from '../lib/dom';
import type { StaffFeature } from '../lib/staff-api';
import { ms } from './moderation-strings';
import { publicationControls } from './publication';
import type { Ctx } from './state';

let last: { id: number; text: string; error: boolean } | null = null;

export function publicationSection(ctx: Ctx, f: StaffFeature, reload: () => void): HTMLElement {
  const m = ms();
  if (last && last.id !== f.id) last = null;
  const status = h('p', { class: 'moderation__status', role: 'status' }, last && !last.error ? last.text : '');
  const error = h('p', { class: 'form-error', role: 'alert' }, last?.error ? last.text : '');
  return h(
    'section',
    { class: 'detail__section', 'aria-labelledby': 'detail-publication' },
    h('h3', { id: 'detail-publication' }, m.stateHeading),
    status,
    error,
    publicationControls(ctx, f, {
      scope: 'detail-pub',
      large: false,
      headingLevel: 'h4',
      done: (message) => {
        last = { id: f.id, text: message, error: false };
        status.textContent = message;
        error.textContent = '';
        reload();
      },
      failed: (message) => {
        last = { id: f.id, text: message, error: true };
        status.textContent = '';
        error.textContent = message;
        error.scrollIntoView({ block: 'nearest' });
      },
    }),
  );
}
