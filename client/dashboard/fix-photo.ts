/**
 * "Add photo of the fix" in the report details: a coordinator who fixed or checked a barrier
 * adds the "after" photo here (POST /api/v1/reports/{id}/photos, stage `resolution`). Like every
 * photo staff add it waits for review; the Publication section above offers "Publish photo N"
 * for it, which publishes the photo alone (docs/TRIAGE.md, "Resolving").
 */
import { h } from '../lib/dom';
import type { StaffFeature } from '../lib/staff-api';
import { busy } from './detail-actions';
import { problemText } from './notices';
import type { Ctx } from './state';
import { t } from './strings';

/** The last result, by report: the details redraw after an upload and must keep saying it. */
let last: { id: number; text: string; error: boolean } | null = null;

export function fixPhotoSection(ctx: Ctx, f: StaffFeature, reload: () => void): HTMLElement {
  if (last && last.id !== f.id) last = null;
  const inputId = 'fix-photo-input';
  const input = h('input', {
    id: inputId,
    class: 'input input--file',
    type: 'file',
    accept: 'image/*',
    multiple: true,
    'aria-describedby': `${inputId}-hint ${inputId}-error`,
    'data-key': 'fix-photo-input',
  });
  const status = h('p', { class: 'moderation__status', role: 'status' }, last && !last.error ? last.text : '');
  const error = h('p', { id: `${inputId}-error`, class: 'form-error', role: 'alert' }, last?.error ? last.text : '');
  const send = h(
    'button',
    { type: 'submit', class: 'button button--small', 'data-key': 'fix-photo-send' },
    t.fixPhotoSend,
  );
  const say = (text: string, isError: boolean) => {
    last = { id: f.id, text, error: isError };
    status.textContent = isError ? '' : text;
    error.textContent = isError ? text : '';
    if (isError) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  };
  const form = h(
    'form',
    { class: 'detail__group' },
    h('label', { class: 'label label--small', for: inputId }, t.fixPhotoLabel),
    h('p', { id: `${inputId}-hint`, class: 'hint' }, t.fixPhotoHint),
    input,
    send,
    status,
    error,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const files = [...(input.files ?? [])];
    if (!files.length) {
      say(t.fixPhotoNone, true);
      return input.focus();
    }
    void busy(send, async () => {
      last = null;
      error.textContent = '';
      status.textContent = t.fixPhotoSending(files.length);
      try {
        await ctx.api.addPhotos(f.id, files);
        say(t.fixPhotoAdded(files.length), false);
        input.value = '';
        reload();
      } catch (err) {
        say(problemText(err, t.fixPhotoFailed), true);
      }
    });
  });
  return h(
    'section',
    { class: 'detail__section', 'aria-labelledby': 'detail-fix-photo' },
    h('h3', { id: 'detail-fix-photo' }, t.fixPhotoHeading),
    form,
  );
}
