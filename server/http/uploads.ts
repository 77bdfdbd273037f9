// multipart/form-data for reports: everything bounded, held in memory (sharp reads buffers).
// Per request the multer limits below bound it; across requests uploadBudget does: a file's
// bytes are counted as they arrive and given back when the response ends, however it ends
// (sent, failed, or the client gone). Past the budget, reading pauses (TCP pushes back on
// the sender) until room frees up or the wait runs out, which answers 503 with Retry-After.
// Before its first file is read, a request also takes its declared size from its address's
// share (uploadShares), so that one address's uploads that never finish cannot hold the
// budget others need; a sender that stalls or trickles is cut by server/http/slow-clients.ts.
import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import { Budget, OwnerShares, uploadBudget, uploadShares } from '../features/photos/photos.budget';
import { PHOTO_LIMITS } from '../features/photos/photos.pipeline';
import { AppError } from './errors';
import { clientAddress } from './rate-limit';

interface Holding {
  bytes: number;
  /** Given back: nothing more may be taken for this request. */
  done: boolean;
  /** The client address and the declared size taken from its share, once admitted. */
  owner: string;
  declared: number;
  admission?: Promise<void>;
}

const holdings = new WeakMap<Request, Holding>();

function giveBack(holding: Holding, budget: Budget, shares: OwnerShares | undefined): void {
  holding.done = true;
  budget.give(holding.bytes);
  holding.bytes = 0;
  shares?.give(holding.owner, holding.declared);
  holding.declared = 0;
}

/** The bytes this request holds, given back to the budget once, when its response closes. */
function holdingOf(req: Request, budget: Budget, shares: OwnerShares | undefined): Holding {
  let holding = holdings.get(req);
  if (!holding) {
    const created: Holding = { bytes: 0, done: false, owner: clientAddress(req), declared: 0 };
    holding = created;
    holdings.set(req, created);
    (req.res ?? req).once('close', () => giveBack(created, budget, shares));
  }
  return holding;
}

/**
 * Takes the request's declared size from its address's share, once per request. A body sent
 * without a length (chunked) declares the whole share: it runs alone for its address.
 */
function admit(req: Request, holding: Holding, shares: OwnerShares | undefined): Promise<void> {
  if (!shares) return Promise.resolve();
  const length = Number(req.headers['content-length']);
  const declared = Number.isSafeInteger(length) && length > 0 ? length : Number.POSITIVE_INFINITY;
  holding.admission ??= shares.take(holding.owner, declared).then(() => {
    // Admitted after the request was given up: straight back.
    if (holding.done) shares.give(holding.owner, declared);
    else holding.declared = declared;
  });
  return holding.admission;
}

/** multer's memory storage, with each chunk counted against a shared budget (and the sender's share). */
export function budgetedMemoryStorage(budget: Budget, shares?: OwnerShares): multer.StorageEngine {
  return {
    _handleFile(req, file, cb) {
      const chunks: Buffer[] = [];
      const holding = holdingOf(req, budget, shares);
      const stream = file.stream;
      let failed = false;
      // The request is refused: its files are dropped now, while multer reads and drops the
      // rest of the body before it answers.
      const refuse = (err: unknown) => {
        failed = true;
        chunks.length = 0;
        giveBack(holding, budget, shares);
        stream.resume();
        cb(err);
      };
      const hold = (n: number) => {
        // A grant that comes after the request was given up goes straight back.
        if (holding.done) budget.give(n);
        else holding.bytes += n;
      };
      // Unread until admitted: the file stream stays paused and TCP pushes back on the sender.
      admit(req, holding, shares).then(() => {
        stream.on('data', (chunk: Buffer) => {
          if (failed || holding.done) return;
          chunks.push(chunk);
          if (budget.tryTake(chunk.length)) return hold(chunk.length);
          stream.pause();
          budget.take(chunk.length).then(() => {
            hold(chunk.length);
            stream.resume();
          }, refuse);
        });
        stream.on('end', () => {
          if (failed) return;
          const buffer = Buffer.concat(chunks);
          cb(null, { buffer, size: buffer.length });
        });
      }, refuse);
    },
    _removeFile(_req, file, cb) {
      (file as Partial<Express.Multer.File>).buffer = undefined;
      cb(null);
    },
  };
}

/** One budget for every multipart route that takes photos: reports, staff photos (and Open311's media). */
export const photoUploadStorage = budgetedMemoryStorage(uploadBudget, uploadShares);

const LIMITS = {
  fileSize: PHOTO_LIMITS.maxBytes,
  files: PHOTO_LIMITS.maxFiles + 1, // one over, so a sixth photo is named as such below
  fields: 30,
  fieldNameSize: 100,
  fieldSize: 32 * 1024,
  // A report's fields are flat: `a[b]` would only build nested objects nobody reads.
  fieldNestingDepth: 0,
  // Array indices are parsed in linear time (attribute[4294967294]: GHSA-535w-7cp7-47q4).
  fieldArrayIndexLimit: 0,
  parts: 40,
  headerPairs: 100,
};

const MB = PHOTO_LIMITS.maxBytes / (1024 * 1024);
const formProblem = (field: string, detail: string) =>
  new AppError(413, 'form_too_large', 'Form too large', `${field}: ${detail}`, [{ field, detail }]);

function toProblem(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof multer.MulterError) {
    // Limits on the form as a whole name no field: they are the body's.
    const field = err.field ?? 'body';
    switch (err.code as string) {
      case 'LIMIT_FILE_SIZE':
        return new AppError(413, 'photo_too_large', 'Photo too large', undefined, [
          { field: 'photos', detail: `each photo must be at most ${MB} MB` },
        ]);
      case 'LIMIT_FILE_COUNT':
      case 'LIMIT_UNEXPECTED_FILE':
        return field === 'photos' || err.code === 'LIMIT_FILE_COUNT'
          ? new AppError(413, 'too_many_photos', 'Too many photos', undefined, [
              { field: 'photos', detail: `at most ${PHOTO_LIMITS.maxFiles} photos per report` },
            ])
          : AppError.validation([{ field, detail: 'files are only accepted in the field "photos"' }]);
      case 'LIMIT_FIELD_VALUE':
        return new AppError(413, 'field_too_large', 'Field too large', undefined, [{ field, detail: 'is too long' }]);
      case 'LIMIT_FIELD_KEY':
        return formProblem('body', `has a field name longer than ${LIMITS.fieldNameSize} characters`);
      case 'LIMIT_FIELD_COUNT':
        return formProblem('body', `has more than ${LIMITS.fields} fields`);
      case 'LIMIT_PART_COUNT':
        return formProblem('body', `has more than ${LIMITS.parts} parts`);
      case 'LIMIT_FIELD_NESTING':
      case 'LIMIT_FIELD_ARRAY_INDEX':
      case 'INVALID_FIELD_NAME':
        return AppError.validation([{ field, detail: 'is not a field of a report' }]);
      case 'MISSING_FIELD_NAME':
        return AppError.validation([{ field: 'body', detail: 'has a part without a field name' }]);
      default:
        return formProblem(field, err.message);
    }
  }
  return new AppError(400, 'malformed_form', 'The form could not be read', undefined, [
    { field: 'body', detail: 'is not a complete multipart/form-data body' },
  ]);
}

/** The multipart parser of reports and staff photos; `storage` is a parameter for tests. */
export function photoUpload(storage: multer.StorageEngine = photoUploadStorage): RequestHandler {
  const upload = multer({ storage, limits: LIMITS }).array('photos', PHOTO_LIMITS.maxFiles);
  return (req, res, next) => {
    upload(req, res, (err: unknown) => next(err ? toProblem(err) : undefined));
  };
}

export const reportUpload = photoUpload();
