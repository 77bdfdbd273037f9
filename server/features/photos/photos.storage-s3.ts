// Photos in S3-compatible object storage (AWS S3, MinIO, Garage, Ceph RGW, R2…), one bucket
// shared by every app process of a deployment, under the key prefix `photos/`. Nothing else
// may write under that prefix: the orphan sweep removes what no report references.
//
// Cleanup across processes. The local store's discard relies on the process remembering its
// own puts; with several processes on one bucket, process A cannot know that process B has
// just put the same photo (same bytes, same key) for a report whose row is about to commit.
// So here a failed insert deletes nothing: discard only returns false, and the orphan sweep
// (photos.service.ts) removes objects that no row references and whose LastModified is older
// than PUT_MEMORY_MS. A put of a photo that is already stored writes it again, so its
// LastModified restarts the grace for whoever is about to commit it. Before deleting, the
// sweep asks the bucket once more (removeIfOlderThan), which leaves only the milliseconds
// between that check and the delete, for a photo nobody has used in over an hour.
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { DependencyUnavailable, errorNameAndCode } from '../../http/errors';
import { hashOfPhotoPath, photoPath, type PhotoStorage, type PhotoVariant } from './photos.storage';

export interface S3Settings {
  /** Unset: AWS S3 itself (the SDK finds the endpoint from the region). */
  endpoint: string | undefined;
  bucket: string;
  region: string;
  /** Both or neither; neither: the SDK's default chain (instance role, AWS_* variables). */
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  /** `http://host/bucket/key` rather than `http://bucket.host/key`: MinIO and most others. */
  forcePathStyle: boolean;
  /** Tests only: shorter than S3_TIMEOUTS_MS. */
  timeoutsMs?: { connect: number; answer: number; idle: number };
}

/**
 * A bucket that accepts connections and then says nothing (a stuck server, a partition) must
 * not hold a request, its photo's share of the upload budget and an SDK socket for ever: a
 * connection is given 3 s, the request until the answer's head 5 s, and a command one retry,
 * so a request waiting on a silent bucket gets its 503 photo_store_unavailable after about
 * 10 s. A photo's bytes then stream to the client at the client's pace: only 30 s without a
 * byte from the bucket ends them (a shorter limit would cut a slow phone whose backpressure
 * pauses the bucket's socket).
 */
export const S3_TIMEOUTS_MS = Object.freeze({ connect: 3000, answer: 5000, idle: 30_000 });
const S3_MAX_ATTEMPTS = 2;

export interface S3PhotoStorage extends PhotoStorage {
  readonly kind: 's3';
  /** Closes the client's sockets (scripts and tests). */
  close(): void;
}

const PREFIX = 'photos/';

export function s3Client(settings: S3Settings): S3Client {
  const timeouts = settings.timeoutsMs ?? S3_TIMEOUTS_MS;
  return new S3Client({
    endpoint: settings.endpoint,
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    credentials:
      settings.accessKeyId && settings.secretAccessKey
        ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey }
        : undefined,
    requestHandler: {
      connectionTimeout: timeouts.connect,
      requestTimeout: timeouts.answer,
      throwOnRequestTimeout: true,
      socketTimeout: timeouts.idle,
    },
    maxAttempts: S3_MAX_ATTEMPTS,
    // The SDK's default CRC checksums on every request and response are not understood by
    // every S3-compatible server; ask for them only where the API requires them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** The object is not there (a missing bucket is an outage, not a missing photo). */
function isMissing(err: unknown): boolean {
  if (err instanceof S3ServiceException && err.name === 'NoSuchBucket') return false;
  return (
    err instanceof NoSuchKey ||
    err instanceof NotFound ||
    (err instanceof S3ServiceException && err.$metadata.httpStatusCode === 404)
  );
}

/**
 * Every command's failure other than "no such object" becomes a DependencyUnavailable: a 503
 * `photo_store_unavailable` (server/http/errors.ts), not a 500 nor the database's 503 (a
 * refused connection looks the same to both). At 'initialize', outside the SDK's retries.
 */
function reportOutages(client: S3Client): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (err) {
        throw isMissing(err) ? err : new DependencyUnavailable('photo store', err);
      }
    },
    { step: 'initialize', name: 'wegfreiPhotoStoreOutage' },
  );
}

/** Where the bucket is, for messages: the endpoint, or AWS S3 itself. */
const whereIs = (settings: S3Settings) => settings.endpoint ?? `AWS S3 (S3_REGION=${settings.region})`;

/**
 * The start-up check's message for a failed HeadBucket: which setting to look at and what to do.
 * Names the bucket and endpoint, never the keys.
 */
export function bucketProblem(settings: S3Settings, err: unknown): string {
  const status = err instanceof S3ServiceException ? err.$metadata.httpStatusCode : undefined;
  const { name, code } = errorNameAndCode(err);
  const why = code ?? name ?? 'unknown error';
  const endpoint = `S3_ENDPOINT=${settings.endpoint ?? '(unset: AWS S3)'}`;
  if (status === 404 || name === 'NoSuchBucket') {
    return `S3_BUCKET=${settings.bucket}: no such bucket at ${whereIs(settings)}; create it first (docs/DEPLOY.md "Photos")`;
  }
  if (status === 401 || status === 403) {
    return `S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY: refused by the bucket ${settings.bucket} at ${whereIs(settings)} (${why})`;
  }
  // No keys set and none in the SDK's default places (AWS_* variables, a profile, an instance role).
  if (name === 'CredentialsProviderError') {
    return 'S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY: not set, and no credentials found where the AWS SDK looks (AWS_* variables, a profile, an instance role)';
  }
  if (name === 'TimeoutError') {
    const answer = (settings.timeoutsMs ?? S3_TIMEOUTS_MS).answer / 1000;
    return `${endpoint}: connected, but no answer within ${answer} s (${why})`;
  }
  if (status === undefined) {
    return `${endpoint}: cannot connect (${why})`;
  }
  return `S3_BUCKET=${settings.bucket} at ${whereIs(settings)}: the store answered ${status} (${why}); check S3_ENDPOINT, S3_REGION and S3_FORCE_PATH_STYLE`;
}

/** Start-up: the bucket exists and takes our keys, or an error naming the setting at fault. */
export async function checkBucket(settings: S3Settings): Promise<void> {
  const client = s3Client(settings);
  try {
    await client.send(new HeadBucketCommand({ Bucket: settings.bucket }));
  } catch (err) {
    throw new Error(bucketProblem(settings, err), { cause: err });
  } finally {
    client.destroy();
  }
}

export function s3PhotoStorage(settings: S3Settings): S3PhotoStorage {
  const client = s3Client(settings);
  reportOutages(client);
  const Bucket = settings.bucket;
  const keyOf = (hash: string, variant: PhotoVariant) => PREFIX + photoPath(hash, variant);

  async function lastModified(hash: string, variant: PhotoVariant): Promise<Date | undefined> {
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket, Key: keyOf(hash, variant) }));
      return head.LastModified ?? new Date(0);
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  const putObject = (hash: string, variant: PhotoVariant, body: Buffer) =>
    client.send(
      new PutObjectCommand({
        Bucket,
        Key: keyOf(hash, variant),
        Body: body,
        ContentType: 'image/jpeg',
        // Never served from the bucket directly (the app checks that a photo is public first),
        // but should a deployment expose it anyway, nothing may keep a copy.
        CacheControl: 'private, no-store',
      }),
    );

  async function remove(hash: string): Promise<void> {
    // One DeleteObject per key: DeleteObjects needs a Content-MD5 some servers insist on.
    await client.send(new DeleteObjectCommand({ Bucket, Key: keyOf(hash, 'display') }));
    await client.send(new DeleteObjectCommand({ Bucket, Key: keyOf(hash, 'thumbnail') }));
  }

  return {
    kind: 's3',
    async put(hash, files) {
      const existed = (await lastModified(hash, 'display')) !== undefined;
      // Written even when present: the new LastModified keeps the sweep away while this
      // upload commits (see the top of this file). Thumbnail first: the display object marks
      // a complete photo, as on disk.
      await putObject(hash, 'thumbnail', files.thumbnail);
      await putObject(hash, 'display', files.display);
      return !existed;
    },
    // Another process may have put the same photo for a report about to commit: only the
    // sweep, after PUT_MEMORY_MS, may decide that an object is nobody's.
    discard: () => Promise.resolve(false),
    remove,
    async removeIfOlderThan(hash, before) {
      // A put writes the thumbnail first: a photo without its display object may be one.
      const written = (await lastModified(hash, 'display')) ?? (await lastModified(hash, 'thumbnail'));
      if (written && written >= before) return false;
      await remove(hash);
      return true;
    },
    async open(hash, variant) {
      try {
        const got = await client.send(new GetObjectCommand({ Bucket, Key: keyOf(hash, variant) }));
        if (!got.Body) return undefined;
        return { body: got.Body as Readable, length: got.ContentLength ?? 0 };
      } catch (err) {
        if (isMissing(err)) return undefined;
        throw err;
      }
    },
    async *list() {
      let ContinuationToken: string | undefined;
      let last: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: PREFIX, ContinuationToken }));
        for (const object of page.Contents ?? []) {
          const hash = object.Key ? hashOfPhotoPath(object.Key.slice(PREFIX.length)) : undefined;
          // Keys come sorted, so a photo's two variants are neighbours: one entry per photo,
          // and a thumbnail whose display never arrived (a crash between the two) is listed too.
          if (!hash || hash === last) continue;
          last = hash;
          yield { hash, writtenAt: object.LastModified ?? new Date(0) };
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
    },
    // A PUT is atomic: an upload cut short leaves no object behind.
    removeTempFilesBefore: () => Promise.resolve(),
    close: () => client.destroy(),
  };
}
