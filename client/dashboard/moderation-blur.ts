/**
 * Blurring areas of a photo: the photo in a dialog, areas drawn with a pointer (drag) or with
 * the keyboard (a frame that arrow keys move and Shift + arrow keys resize, Enter marks it),
 * listed with remove buttons, then sent as fractions of the photo (0..1 from the top-left).
 * The server blurs them into a new photo under a new URL and deletes the unblurred one.
 */
import { h, replaceChildren } from '../lib/dom';
import { moderationApi, moderationError, type ModerationPhoto, type Region } from './moderation-api';
import { ms } from './moderation-strings';
import type { Ctx } from './state';

const STEP = 0.02;
const MIN = 0.02;
const clamp = (v: number, lo = 0, hi = 1) => Math.min(hi, Math.max(lo, v));
const pct = (v: number) => Math.round(v * 100);
const round4 = (v: number) => Math.round(v * 10_000) / 10_000;

function place(el: HTMLElement, r: Region): void {
  el.style.left = `${r.x * 100}%`;
  el.style.top = `${r.y * 100}%`;
  el.style.width = `${r.width * 100}%`;
  el.style.height = `${r.height * 100}%`;
}

/** A region inside the photo, rounded: what the server is sent. */
function normalise(r: Region): Region {
  const x = round4(clamp(r.x));
  const y = round4(clamp(r.y));
  return { x, y, width: round4(clamp(r.width, 0, 1 - x)), height: round4(clamp(r.height, 0, 1 - y)) };
}

export function blurPhoto(
  ctx: Ctx,
  reportId: number,
  position: number,
  photo: ModerationPhoto,
): Promise<{ areas: number; error?: string }> {
  return new Promise((resolve) => {
    const all = ms();
    const m = all.blur;
    const n = position + 1;
    const areas: Region[] = [];
    let frame: Region = { x: 0.4, y: 0.4, width: 0.2, height: 0.2 };
    let result: { areas: number; error?: string } = { areas: 0 };

    const img = h('img', { src: photo.url, alt: all.photoAlt(n, reportId), class: 'blur__img', draggable: 'false' });
    const marks = h('div', { class: 'blur__marks', 'aria-hidden': 'true' });
    const draft = h('div', { class: 'blur__mark blur__mark--draft', 'aria-hidden': 'true', hidden: true });
    const frameEl = h('div', { class: 'blur__frame', 'aria-hidden': 'true' });
    const stage = h(
      'div',
      {
        class: 'blur__stage',
        tabindex: 0,
        role: 'application',
        'aria-label': m.stageLabel(n),
        'aria-describedby': 'blur-key-help blur-frame-text',
      },
      img,
      marks,
      draft,
      frameEl,
    );
    const frameText = h('p', { id: 'blur-frame-text', class: 'hint blur__frame-text', 'aria-live': 'polite' });
    const list = h('ol', { class: 'blur__list' });
    const empty = h('p', { class: 'hint' }, m.none);
    const status = h('p', { class: 'visually-hidden', role: 'status' });
    const error = h('p', { class: 'form-error', role: 'alert' });
    const submit = h('button', { type: 'button', class: 'button button--primary', 'data-blur': 'submit' });
    const cancel = h('button', { type: 'button', class: 'button' }, m.cancel);
    const dialog = h(
      'dialog',
      { class: 'dialog dialog--blur', 'aria-labelledby': 'blur-heading', 'aria-describedby': 'blur-intro' },
      h('h2', { id: 'blur-heading' }, m.heading(n, reportId)),
      h('p', { id: 'blur-intro', class: 'hint' }, m.intro),
      h(
        'div',
        { class: 'blur__layout' },
        h('div', { class: 'blur__photo' }, stage, frameText),
        h(
          'div',
          { class: 'blur__side' },
          h('p', { class: 'hint' }, m.pointerHelp),
          h('p', { id: 'blur-key-help', class: 'hint' }, m.keyHelp),
          h('h3', { id: 'blur-list-heading' }, m.listHeading),
          empty,
          list,
        ),
      ),
      error,
      status,
      h('div', { class: 'dialog__actions' }, submit, cancel),
    );

    function render(): void {
      replaceChildren(
        marks,
        areas.map((r, i) => {
          const el = h('div', { class: 'blur__mark' }, h('span', { class: 'blur__mark-no' }, String(i + 1)));
          place(el, r);
          return el;
        }),
      );
      replaceChildren(
        list,
        areas.map((r, i) => {
          const remove = h('button', { type: 'button', class: 'button button--small' }, m.remove(i + 1));
          remove.addEventListener('click', () => {
            areas.splice(i, 1);
            render();
            status.textContent = m.removed(i + 1);
            (list.querySelectorAll('button')[Math.min(i, areas.length - 1)] ?? stage).focus();
          });
          return h('li', {}, h('span', {}, m.area(i + 1, pct(r.x), pct(r.y), pct(r.width), pct(r.height))), remove);
        }),
      );
      empty.hidden = areas.length > 0;
      submit.textContent = m.submit(areas.length);
      submit.setAttribute('aria-disabled', String(areas.length === 0));
      place(frameEl, frame);
      frameText.textContent = m.frame(pct(frame.x), pct(frame.y), pct(frame.width), pct(frame.height));
    }

    function add(r: Region): void {
      areas.push(normalise(r));
      error.textContent = '';
      render();
      status.textContent = m.added(areas.length);
    }

    // Pointer: drag from one corner to the other.
    let start: { x: number; y: number } | null = null;
    const at = (e: PointerEvent) => {
      const box = img.getBoundingClientRect();
      return { x: clamp((e.clientX - box.left) / box.width), y: clamp((e.clientY - box.top) / box.height) };
    };
    const between = (a: { x: number; y: number }, b: { x: number; y: number }): Region => ({
      x: Math.min(a.x, b.x),
      y: Math.min(a.y, b.y),
      width: Math.abs(a.x - b.x),
      height: Math.abs(a.y - b.y),
    });
    stage.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      e.preventDefault();
      stage.focus({ preventScroll: true });
      start = at(e);
      stage.setPointerCapture(e.pointerId);
      place(draft, { ...start, width: 0, height: 0 });
      draft.hidden = false;
    });
    stage.addEventListener('pointermove', (e) => {
      if (start) place(draft, between(start, at(e)));
    });
    stage.addEventListener('pointerup', (e) => {
      if (!start) return;
      const r = between(start, at(e));
      start = null;
      draft.hidden = true;
      // A click without a drag marks nothing.
      if (r.width >= 0.01 && r.height >= 0.01) add(r);
    });
    stage.addEventListener('pointercancel', () => {
      start = null;
      draft.hidden = true;
    });

    // Keyboard: the frame moves and resizes in steps of 2 % and stays inside the photo.
    stage.addEventListener('keydown', (e) => {
      const dx = e.key === 'ArrowRight' ? STEP : e.key === 'ArrowLeft' ? -STEP : 0;
      const dy = e.key === 'ArrowDown' ? STEP : e.key === 'ArrowUp' ? -STEP : 0;
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        add(frame);
        return;
      }
      if (!dx && !dy) return;
      e.preventDefault();
      if (e.shiftKey) {
        const width = clamp(frame.width + dx, MIN, 1 - frame.x);
        const height = clamp(frame.height + dy, MIN, 1 - frame.y);
        frame = { ...frame, width, height };
      } else {
        frame = {
          ...frame,
          x: clamp(frame.x + dx, 0, 1 - frame.width),
          y: clamp(frame.y + dy, 0, 1 - frame.height),
        };
      }
      render();
    });

    img.addEventListener('error', () => {
      error.textContent = all.errors.photo;
    });

    submit.addEventListener('click', () => {
      if (submit.getAttribute('aria-busy') === 'true') return;
      if (areas.length === 0) {
        error.textContent = m.needOne;
        stage.focus();
        return;
      }
      submit.setAttribute('aria-busy', 'true');
      submit.textContent = m.working;
      error.textContent = '';
      void moderationApi
        .redact(ctx, reportId, position, areas.map(normalise))
        .then(() => {
          result = { areas: areas.length };
          dialog.close();
        })
        .catch((err: unknown) => {
          error.textContent = moderationError(err);
          result = { areas: 0, error: error.textContent };
          submit.removeAttribute('aria-busy');
          render();
          submit.focus();
        });
    });
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(result);
    });

    render();
    document.body.append(dialog);
    dialog.showModal();
    stage.focus();
  });
}
