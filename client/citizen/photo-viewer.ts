/**
 * A report's photos, full size, in a modal dialog: the whole photo (never cropped), next and
 * previous by swipe, arrow keys or buttons, Escape or Close to leave, and focus back on the
 * thumbnail that opened it. A native <dialog>: the browser keeps focus inside and the page
 * behind inert.
 */
import type { Photo } from '../lib/api';
import { h } from '../lib/dom';
import { t } from '../lib/strings';

const SWIPE_PX = 50;

export interface PhotoViewer {
  dialog: HTMLDialogElement;
  open(index: number, opener: HTMLElement): void;
}

export function createPhotoViewer(photos: Photo[], alt: (i: number) => string, title: string): PhotoViewer {
  const img = h('img', { class: 'viewer__img', alt: '', draggable: 'false' });
  const position = h('p', { class: 'viewer__position', 'aria-live': 'polite' });
  const failed = h('p', { class: 'notice', hidden: true }, t.photoFailed);
  const prev = h(
    'button',
    { type: 'button', class: 'button viewer__prev' },
    h('span', { 'aria-hidden': 'true' }, '‹ '),
    t.photoPrevious,
  );
  const next = h(
    'button',
    { type: 'button', class: 'button viewer__next' },
    t.photoNext,
    h('span', { 'aria-hidden': 'true' }, ' ›'),
  );
  const close = h('button', { type: 'button', class: 'button viewer__close' }, t.photoClose);
  const headingId = 'viewer-heading';
  const dialog = h(
    'dialog',
    { class: 'viewer', 'aria-labelledby': headingId, 'aria-describedby': 'viewer-help' },
    h('div', { class: 'viewer__bar' }, h('h2', { id: headingId, class: 'viewer__title' }, title), close),
    h('figure', { class: 'viewer__figure' }, img, failed, h('figcaption', {}, position)),
    h('p', { class: 'hint viewer__help', id: 'viewer-help' }, t.photoViewerHelp),
    photos.length > 1 ? h('div', { class: 'viewer__nav' }, prev, next) : null,
  );

  let index = 0;
  let opener: HTMLElement | null = null;

  function show(i: number): void {
    index = (i + photos.length) % photos.length;
    const photo = photos[index]!;
    failed.hidden = true;
    img.hidden = false;
    img.src = photo.url;
    img.alt = alt(index + 1);
    img.width = photo.width;
    img.height = photo.height;
    position.textContent = t.photoPosition(index + 1, photos.length);
  }

  img.addEventListener('error', () => {
    img.hidden = true;
    failed.hidden = false;
  });
  prev.addEventListener('click', () => show(index - 1));
  next.addEventListener('click', () => show(index + 1));
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      e.preventDefault();
      show(index + (e.key === 'ArrowRight' ? 1 : -1));
    }
  });
  // Escape closes a modal <dialog> by itself; focus goes back where the person was.
  dialog.addEventListener('close', () => opener?.focus());

  let startX: number | null = null;
  dialog.addEventListener('pointerdown', (e) => {
    startX = e.clientX;
  });
  dialog.addEventListener('pointerup', (e) => {
    if (startX === null || photos.length < 2) return;
    const dx = e.clientX - startX;
    startX = null;
    if (Math.abs(dx) >= SWIPE_PX) show(index + (dx < 0 ? 1 : -1));
  });

  return {
    dialog,
    open(i, from) {
      opener = from;
      show(i);
      dialog.showModal();
      close.focus();
    },
  };
}
