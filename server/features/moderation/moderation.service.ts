// Moderation: publishing a report's words and photos, redacting the text the public sees,
// hiding or blurring a photo, hiding the whole report. Each change is in the report's history and
// on the live feed, in one transaction. Redacting the words changes only what the public sees:
// staff keep the reporter's own words (a responder may need the flat number), as they keep the
// contact and the exact point; the history says who redacted, when, and how long the public text
// was before and after, never the words themselves. docs/ARCHITECTURE.md, "Moderation".
import type pg from 'pg';
import { withTransaction } from '../../db/transaction';
import { AppError } from '../../http/errors';
import type { EventBus } from '../../live/bus';
import type { User } from '../auth/auth.repo';
import { processPhoto } from '../photos/photos.pipeline';
import { readPhoto, type PhotoStorage } from '../photos/photos.storage';
import * as reports from '../reports/reports.repo';
import { toPhotoInsert } from '../reports/reports.service';
import * as repo from './moderation.repo';
import { blurRegions, type Region } from './moderation.redact';

export interface ModerationDeps {
  pool: pg.Pool;
  events: EventBus;
  storage: PhotoStorage;
}

export interface PublicationChange {
  review?: reports.Review;
  hidden?: boolean;
  /** The text the public sees, redacted (null: none); the reporter's own words stay for staff. */
  description?: string | null;
}

const notFound = () => AppError.notFound('report');

async function change<T>(deps: ModerationDeps, id: number, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const result = await withTransaction(deps.pool, async (client) => {
    const out = await work(client);
    await reports.insertEvents(client, 'report.updated', [id]);
    return out;
  });
  deps.events.notify();
  return result;
}

export async function updatePublication(
  deps: ModerationDeps,
  id: number,
  input: PublicationChange,
  actor: User,
): Promise<void> {
  await change(deps, id, async (client) => {
    const before = await repo.lockPublication(client, id);
    if (!before) throw notFound();
    const history: reports.HistoryEntry[] = [];
    const entry = (action: string, field: string, from: string | null, to: string | null) =>
      history.push({ reportId: id, actorId: actor.id, action, field, from, to });
    if (input.review !== undefined && input.review !== before.review) {
      entry(input.review === 'published' ? 'published' : 'withdrawn', 'review', before.review, input.review);
    }
    if (input.hidden !== undefined && input.hidden !== before.hidden) {
      entry(input.hidden ? 'hidden' : 'unhidden', 'hidden', String(before.hidden), String(input.hidden));
    }
    if (input.description !== undefined && input.description !== before.publicText) {
      const length = (text: string | null) => `${text?.length ?? 0} characters`;
      entry('redacted', 'public_description', length(before.publicText), length(input.description));
    }
    // Publishing a report that waited off the map (a pre-moderated barrier, hidden by no one)
    // puts it on the map; one that staff took down stays down until someone shows it again.
    let hidden = input.hidden;
    if (
      hidden === undefined &&
      input.review === 'published' &&
      before.review === 'pending' &&
      before.hidden &&
      !(await repo.wasHiddenByStaff(client, id))
    ) {
      hidden = false;
      entry('unhidden', 'hidden', 'true', 'false');
    }
    await repo.setPublication(client, id, {
      review: input.review,
      hidden,
      publicText:
        input.description === undefined || input.description === before.publicText ? undefined : input.description,
    });
    await reports.insertHistory(client, history);
  });
}

export async function setPhotoState(
  deps: ModerationDeps,
  id: number,
  position: number,
  state: 'published' | 'hidden',
  actor: User,
): Promise<void> {
  await change(deps, id, async (client) => {
    const photo = await repo.lockPhoto(client, id, position);
    if (!photo) throw AppError.notFound('photo');
    if (photo.state === state) return;
    await repo.setPhotoState(client, id, position, state);
    await reports.insertHistory(client, [
      {
        reportId: id,
        actorId: actor.id,
        action: `photo_${state}`,
        field: `photos[${position}]`,
        from: photo.state,
        to: state,
      },
    ]);
  });
}

/**
 * Blurs regions of a photo: the blurred photo takes the old one's place under a new name, in
 * this report and in any other that carries the same bytes, and the old files are deleted.
 */
export async function redactPhoto(
  deps: ModerationDeps,
  id: number,
  position: number,
  regions: Region[],
  actor: User,
): Promise<void> {
  const current = await deps.pool.query<{ hash: string }>(
    'SELECT hash FROM photos WHERE report_id = $1 AND position = $2',
    [id, position],
  );
  const oldHash = current.rows[0]?.hash;
  if (!oldHash) throw AppError.notFound('photo');
  const original = await readPhoto(deps.storage, oldHash, 'display');
  if (!original) throw AppError.notFound('photo');
  const blurred = await processPhoto(await blurRegions(original, regions), 'regions');
  await deps.storage.put(blurred.hash, { display: blurred.display, thumbnail: blurred.thumbnail });
  await change(deps, id, async (client) => {
    const photo = await repo.lockPhoto(client, id, position);
    // Someone else changed it meanwhile: theirs stands, and they may redact again.
    if (!photo || photo.hash !== oldHash)
      throw new AppError(409, 'conflict', 'Changed meanwhile', undefined, [
        { field: 'photos', detail: 'was changed by someone else meanwhile; reload and try again' },
      ]);
    // The same bytes sent with other reports (a request sent twice) show the same face: every
    // copy is replaced, so no unblurred one is left anywhere.
    const replaced = await repo.replacePhotoEverywhere(client, oldHash, toPhotoInsert(blurred));
    await reports.insertHistory(
      client,
      replaced.map((r) => ({
        reportId: r.reportId,
        actorId: actor.id,
        action: 'photo_redacted',
        field: `photos[${r.position}]`,
        from: null,
        to:
          r.reportId === id
            ? `${regions.length} regions blurred`
            : `${regions.length} regions blurred (the same photo in report ${id})`,
      })),
    );
    const others = [...new Set(replaced.map((r) => r.reportId))].filter((other) => other !== id);
    await reports.insertEvents(client, 'report.updated', others);
  });
  if (!(await repo.isPhotoReferenced(deps.pool, oldHash))) await deps.storage.remove(oldHash);
}

export function listQueue(pool: pg.Pool, filter: repo.QueueFilter) {
  return repo.listPending(pool, filter);
}
