/**
 * Photos from the camera or the gallery, with previews and remove buttons. A photo's GPS tag
 * is read here in the browser (exifr, loaded only when a photo is chosen) and may suggest the
 * place — the person decides; it is never applied silently. Each photo is shrunk on the
 * phone right away (./shrink.ts), which also drops its metadata; the server strips it again.
 */
import { announce } from '../lib/announce';
import { distanceM, validCoordinates } from '../lib/categories';
import { h } from '../lib/dom';
import { t } from '../lib/strings';
import type { FieldErrors } from './errors';
import { shrinkPhoto } from './shrink';
import type { DraftState } from './state';

export const MAX_PHOTOS = 5;
const MAX_BYTES = 15 * 1024 * 1024;

export interface PhotoPicker {
  fieldset: HTMLElement;
  /** The shrunk photos, once every one of them is ready. */
  files(): Promise<File[]>;
  /** Hands the chosen photos over (to the picker of a re-rendered page); this picker lets go of them. */
  take(): ChosenPhoto[];
  restore(photos: ChosenPhoto[]): void;
  reset(): void;
}

export interface ChosenPhoto {
  file: File;
  /** What is sent: the photo shrunk on the device (or the original if it could not be decoded). */
  upload: Promise<File>;
  url: string;
}

async function readGps(file: File): Promise<{ lat: number; lon: number } | null> {
  try {
    const exifr = await import('exifr');
    const gps = await exifr.gps(file);
    if (gps && validCoordinates(gps.latitude, gps.longitude)) return { lat: gps.latitude, lon: gps.longitude };
  } catch {
    // No GPS tag, an unreadable file or a failed chunk download: simply no suggestion.
  }
  return null;
}

export function createPhotoPicker(state: DraftState, errors: FieldErrors): PhotoPicker {
  let chosen: ChosenPhoto[] = [];
  const camera = h('input', {
    type: 'file',
    id: 'photo-camera',
    accept: 'image/*',
    capture: 'environment',
    class: 'file-input',
  });
  const gallery = h('input', {
    type: 'file',
    id: 'photo-gallery',
    accept: 'image/*',
    multiple: true,
    class: 'file-input',
  });
  const list = h('ul', { class: 'photo-list', 'aria-label': t.photosLegend });
  const message = h('p', { class: 'hint', role: 'status' });
  const suggestion = h('div', { class: 'suggestion', hidden: true });
  const errorSlot = errors.slot('photos', ['photos'], () => [gallery]);

  function render(): void {
    list.replaceChildren(
      ...chosen.map((c, i) =>
        h(
          'li',
          { class: 'photo-list__item' },
          h('img', { src: c.url, alt: t.photoAlt(i + 1), class: 'photo-list__img' }),
          h(
            'button',
            { type: 'button', class: 'button button--small', onclick: () => remove(i) },
            t.remove,
            h('span', { class: 'visually-hidden' }, t.whichPhoto(i + 1)),
          ),
        ),
      ),
    );
    list.hidden = chosen.length === 0;
    const full = chosen.length >= MAX_PHOTOS;
    camera.disabled = full;
    gallery.disabled = full;
  }

  function remove(index: number): void {
    const [gone] = chosen.splice(index, 1);
    if (gone) URL.revokeObjectURL(gone.url);
    render();
    message.textContent = t.photoCount(chosen.length);
    // The removed button is gone; keep focus in the photo area instead of losing it to <body>.
    (list.querySelector<HTMLButtonElement>('button') ?? gallery).focus();
  }

  function suggest(place: { lat: number; lon: number }): void {
    const current = state.place;
    const distance = current ? distanceM(current.lat, current.lon, place.lat, place.lon) : null;
    // A photo taken where the pin already is suggests nothing new.
    if (distance !== null && distance < 10) return;
    const use = h('button', { type: 'button', class: 'button button--primary button--small' }, t.usePhotoPlace);
    const no = h('button', { type: 'button', class: 'button button--small' }, t.dismiss);
    use.addEventListener('click', () => {
      state.setPlace({ lat: place.lat, lon: place.lon, accuracyM: null, source: 'photo' });
      suggestion.hidden = true;
      announce(t.placeAnnounce(place.lat, place.lon, null));
      gallery.focus();
    });
    no.addEventListener('click', () => {
      suggestion.hidden = true;
      gallery.focus();
    });
    suggestion.replaceChildren(
      h('p', {}, t.photoGpsSuggest(place.lat, place.lon, distance)),
      h('div', { class: 'button-row' }, use, no),
    );
    suggestion.hidden = false;
    announce(t.photoGpsSuggest(place.lat, place.lon, distance));
  }

  async function add(input: HTMLInputElement): Promise<void> {
    const notes: string[] = [];
    const added: File[] = [];
    let skipped = 0;
    for (const file of Array.from(input.files ?? [])) {
      if (!file.type.startsWith('image/')) notes.push(t.photoNotImage(file.name));
      else if (file.size > MAX_BYTES) notes.push(t.photoTooBig(file.name));
      else if (chosen.length >= MAX_PHOTOS) skipped += 1;
      else {
        chosen.push({ file, upload: shrinkPhoto(file), url: URL.createObjectURL(file) });
        added.push(file);
      }
    }
    // Clearing lets the same photo be chosen again after it was removed.
    input.value = '';
    if (skipped) notes.push(t.photosTooMany(skipped));
    render();
    message.textContent = [t.photoCount(chosen.length), ...notes].join(' ');
    for (const file of added) {
      const place = await readGps(file);
      if (place) {
        suggest(place);
        break;
      }
    }
  }
  camera.addEventListener('change', () => void add(camera));
  gallery.addEventListener('change', () => void add(gallery));

  const fieldset = h(
    'fieldset',
    { class: 'field' },
    h('legend', {}, t.photosLegend),
    h(
      'div',
      { class: 'button-row' },
      h('span', { class: 'file-button' }, camera, h('label', { for: 'photo-camera', class: 'button' }, t.takePhoto)),
      h(
        'span',
        { class: 'file-button' },
        gallery,
        h('label', { for: 'photo-gallery', class: 'button' }, t.choosePhotos),
      ),
    ),
    list,
    message,
    errorSlot,
    suggestion,
  );
  render();

  return {
    fieldset,
    files: () => Promise.all(chosen.map((c) => c.upload)),
    take() {
      const taken = chosen;
      chosen = [];
      return taken;
    },
    restore(photos) {
      chosen = photos.slice(0, MAX_PHOTOS);
      render();
    },
    reset() {
      for (const c of chosen) URL.revokeObjectURL(c.url);
      chosen = [];
      suggestion.hidden = true;
      message.textContent = '';
      render();
    },
  };
}
