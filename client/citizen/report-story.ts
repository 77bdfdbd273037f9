/**
 * The report page's story (issue 16): what happened and when (GET /api/v1/reports/{id}/timeline,
 * which already holds only what is public), what happens next, a duplicate's original, and the
 * photos as "before" and "after" the fix.
 */
import type { Photo, ReportFeature, Timeline } from '../lib/api';
import { h } from '../lib/dom';
import { t } from '../lib/strings';
import { createPhotoViewer } from './photo-viewer';

/** "What happens next" in plain words, or nothing where the state has no next step. */
export function nextBlock(feature: ReportFeature, timeline: Timeline | null = null): HTMLElement | null {
  const { status, kind } = feature.properties;
  // A citizen's "not fixed" sends the report back a step (it may still have its team): the
  // status's usual next step ("a coordinator passes it to a team") would not be true then.
  const last = timeline?.steps[timeline.steps.length - 1];
  const reopenedByPublic = last?.step === 'reopened' && last.by_public === true && status !== 'resolved';
  const text = reopenedByPublic ? t.whatNextReopened(kind) : t.whatNext(status, kind);
  if (!text) return null;
  return h(
    'section',
    { class: 'card next', 'aria-labelledby': 'next-heading' },
    h('h2', { id: 'next-heading' }, t.nextHeading),
    h('p', {}, text),
  );
}

/** A duplicate links the report it repeats (when that one is public and of its kind: the server decides). */
export function duplicateNotice(feature: ReportFeature): HTMLElement | null {
  const original = feature.properties.duplicate_of;
  if (feature.properties.status !== 'duplicate' || !original) return null;
  return h(
    'p',
    { class: 'notice notice--duplicate' },
    `${t.duplicateIntro} `,
    h('a', { href: `/reports/${original}` }, t.reportNumber(original)),
  );
}

export function storyBlock(timeline: Timeline | null): HTMLElement | null {
  if (!timeline?.steps.length) return null;
  return h(
    'section',
    { 'aria-labelledby': 'story-heading' },
    h('h2', { id: 'story-heading' }, t.storyHeading),
    h(
      'ol',
      { class: 'story' },
      timeline.steps.map((s) =>
        h(
          'li',
          { class: `story__step story__step--${s.step}` },
          h('time', { datetime: s.at, class: 'story__time' }, t.date(s.at)),
          h(
            'span',
            { class: 'story__what' },
            s.by_volunteers ? t.storyByVolunteers : t.storyStep(s.step, s.team ?? null, s.by_public ?? false),
          ),
          s.note
            ? h(
                'p',
                { class: 'story__note' },
                h('span', { class: 'story__note-label' }, t.resolutionNoteLabel),
                ' ',
                s.note,
              )
            : null,
        ),
      ),
    ),
  );
}

function thumbnail(photo: Photo, alt: string, open: (link: HTMLElement) => void): HTMLElement {
  const wide = photo.width > photo.height;
  const link = h(
    'a',
    { href: photo.url, 'aria-haspopup': 'dialog' },
    h('img', {
      src: photo.thumbnail_url,
      alt,
      loading: 'lazy',
      width: wide ? 240 : Math.round((240 * photo.width) / Math.max(1, photo.height)),
      height: wide ? Math.round((240 * photo.height) / Math.max(1, photo.width)) : 240,
    }),
  );
  link.addEventListener('click', (e) => {
    e.preventDefault();
    open(link);
  });
  return h('li', {}, link);
}

/**
 * The photos, under "Before" and "After the fix" once staff added photos of the fix; one list
 * as before otherwise. Thumbnails open the full photos in a dialog (./photo-viewer.ts).
 */
export function photosBlock(
  feature: ReportFeature,
  label: string,
): { section: HTMLElement; dialog: HTMLElement } | null {
  const photos = feature.properties.photos;
  if (!photos.length) return null;
  const before = photos.filter((p) => p.stage !== 'resolution');
  const after = photos.filter((p) => p.stage === 'resolution');
  const ordered = [...before, ...after];
  const alt = (i: number) =>
    i < before.length ? t.reportPhotoAlt(i + 1, label) : t.afterPhotoAlt(i - before.length + 1, label);
  const viewer = createPhotoViewer(ordered, (i) => alt(i - 1), t.photoViewerTitle(label));
  const grid = (list: Photo[], offset: number) =>
    h(
      'ul',
      { class: 'photo-grid' },
      list.map((photo, i) => thumbnail(photo, alt(offset + i), (link) => viewer.open(offset + i, link))),
    );
  const section = after.length
    ? h(
        'section',
        { 'aria-labelledby': 'photos-heading' },
        h('h2', { id: 'photos-heading' }, t.photosHeading),
        before.length ? h('h3', { id: 'before-heading' }, t.beforeHeading) : null,
        before.length ? grid(before, 0) : null,
        // A report opened again after its fix: the photos show a fix that did not hold.
        h(
          'h3',
          { id: 'after-heading' },
          feature.properties.status === 'resolved' ? t.afterHeading : t.afterEarlierHeading,
        ),
        grid(after, before.length),
      )
    : h(
        'section',
        { 'aria-labelledby': 'photos-heading' },
        h('h2', { id: 'photos-heading' }, t.photosHeading),
        grid(before, 0),
      );
  return { section, dialog: viewer.dialog };
}
