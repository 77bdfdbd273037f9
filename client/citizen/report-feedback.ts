/**
 * What a citizen tells about a report on its page (issue 16): "Affects me too" on an open
 * barrier, and "Is it really fixed?" on a resolved report (id="fix-check": notifications link
 * to /reports/{id}#fix-check). One answer per phone: the server counts by the device token
 * (./device-token.ts); this page remembers what it sent only to show it again.
 */
import { api, ApiError, type ReportFeature, type Timeline } from '../lib/api';
import { announce } from '../lib/announce';
import { h } from '../lib/dom';
import { t } from '../lib/strings';
import { deviceToken } from './device-token';
import { shrinkPhoto } from './shrink';

/** On a report no longer open: the endorsements stay on the page, as a sentence. */
export function affectedTally(feature: ReportFeature): HTMLElement | null {
  const x = feature.properties.endorsements ?? 0;
  return x > 0 ? h('p', { class: 'affected__count' }, t.affectedSaid(x)) : null;
}

export function affectedBlock(feature: ReportFeature): HTMLElement {
  const storeKey = `wegfrei:affected:${feature.id}`;
  const count = h('p', { class: 'affected__count' }, t.affectedCount(feature.properties.endorsements ?? 0));
  const status = h('p', { class: 'hint', role: 'status' });
  const done = localStorage.getItem(storeKey) !== null;
  const button = h(
    'button',
    { type: 'button', class: 'button', 'aria-pressed': done ? 'true' : 'false' },
    t.affectsMeToo,
  );
  button.disabled = done;
  // Said in words too: a disabled button cannot be reached by Tab, so its state alone tells a
  // keyboard or screen-reader user nothing.
  if (done) status.textContent = t.affectedAlready;
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const result = await api.endorse(feature.id, deviceToken());
      feature.properties.endorsements = result.endorsements;
      count.textContent = t.affectedCount(result.endorsements);
      status.textContent = result.counted ? t.affectedRecorded : t.affectedAlready;
      button.setAttribute('aria-pressed', 'true');
      localStorage.setItem(storeKey, '1');
    } catch {
      status.textContent = t.affectedFailed;
      button.disabled = false;
    }
  });
  return h(
    'section',
    { class: 'card affected', 'aria-labelledby': 'affected-heading' },
    h('h2', { id: 'affected-heading' }, t.affectedHeading),
    count,
    h('div', { class: 'button-row' }, button),
    status,
  );
}

/** The resolution being judged: its time names it (a report reopened and fixed again is asked again). */
function resolutionOf(feature: ReportFeature, timeline: Timeline | null): string {
  const resolved = timeline?.steps.filter((s) => s.step === 'resolved').at(-1);
  return resolved?.at ?? feature.properties.updated_at;
}

/**
 * "Is it really fixed?": Yes, or No with an optional photo. `reopened` is called after a "No"
 * opened the report again (the page loads it anew) with the words to show in this place.
 */
export function fixCheckBlock(
  feature: ReportFeature,
  timeline: Timeline | null,
  reopened: (message: string) => void,
): HTMLElement {
  const storeKey = `wegfrei:fix-check:${feature.id}:${resolutionOf(feature, timeline)}`;
  const status = h('p', { class: 'hint', role: 'status' });
  const yes = h('button', { type: 'button', class: 'button' }, t.fixYes);
  const no = h('button', { type: 'button', class: 'button', 'aria-expanded': 'false' }, t.fixNo);
  const photo = h('input', { type: 'file', id: 'fix-photo', accept: 'image/*', class: 'fix-form__photo' });
  const send = h('button', { type: 'submit', class: 'button button--primary' }, t.fixSend);
  const cancel = h('button', { type: 'button', class: 'button' }, t.fixCancel);
  const form = h(
    'form',
    { class: 'fix-form', hidden: true, id: 'fix-form' },
    h('label', { for: 'fix-photo', class: 'field-label' }, t.fixPhotoLabel),
    h('p', { class: 'hint', id: 'fix-photo-hint' }, t.fixPhotoHint),
    photo,
    h('div', { class: 'button-row' }, send, cancel),
  );
  photo.setAttribute('aria-describedby', 'fix-photo-hint');
  no.setAttribute('aria-controls', 'fix-form');
  const answers = [yes, no];
  const setAnswered = (message: string) => {
    for (const b of answers) b.disabled = true;
    form.hidden = true;
    no.setAttribute('aria-expanded', 'false');
    status.textContent = message;
  };
  if (localStorage.getItem(storeKey) !== null) setAnswered(t.fixAlready);

  const submit = async (answer: 'fixed' | 'not_fixed', file?: File) => {
    for (const b of [...answers, send, cancel]) b.disabled = true;
    send.setAttribute('aria-busy', 'true');
    try {
      const upload = file ? await shrinkPhoto(file) : undefined;
      const result = await api.checkFix(feature.id, answer, deviceToken(), upload);
      localStorage.setItem(storeKey, answer);
      if (result.reopened) {
        reopened(t.fixReopened);
        return;
      }
      // The address's share used up is not the citizen's business: "recorded" is true.
      if (result.not_reopened === 'resolution_too_old') setAnswered(t.fixTooOld);
      else setAnswered(result.counted ? t.fixRecorded : t.fixAlready);
    } catch (err) {
      const notResolved = err instanceof ApiError && err.status === 409;
      status.textContent = notResolved ? t.fixNotResolved : t.fixFailed;
      for (const b of [...answers, send, cancel]) b.disabled = notResolved;
    } finally {
      send.removeAttribute('aria-busy');
    }
  };
  yes.addEventListener('click', () => void submit('fixed'));
  no.addEventListener('click', () => {
    form.hidden = false;
    no.setAttribute('aria-expanded', 'true');
    photo.focus();
  });
  cancel.addEventListener('click', () => {
    form.hidden = true;
    no.setAttribute('aria-expanded', 'false');
    no.focus();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void submit('not_fixed', photo.files?.[0]);
  });

  return h(
    'section',
    { class: 'card fix-check', id: 'fix-check', 'aria-labelledby': 'fix-heading', tabindex: '-1' },
    h('h2', { id: 'fix-heading' }, t.fixHeading),
    h('p', {}, t.fixIntro),
    h('div', { class: 'button-row' }, answers),
    form,
    status,
  );
}

/** Where the fix check was: after a "No" reopened the report, the page says so here. */
export function fixCheckOutcome(message: string): HTMLElement {
  const note = h(
    'section',
    { class: 'card fix-check', id: 'fix-check', 'aria-labelledby': 'fix-heading', tabindex: '-1' },
    h('h2', { id: 'fix-heading' }, t.fixHeading),
    h('p', { role: 'status' }, message),
  );
  announce(message);
  return note;
}
