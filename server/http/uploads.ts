// multipart/form-data for reports: everything bounded, held in memory (sharp reads buffers).
import type { RequestHandler } from 'express';
import multer from 'multer';
import { PHOTO_LIMITS } from '../features/photos/photos.pipeline';
import { AppError } from './errors';

const upload = multer({
  storage: multer.memoryStorage(),
  limits: {
    fileSize: PHOTO_LIMITS.maxBytes,
    files: PHOTO_LIMITS.maxFiles + 1, // one over, so a sixth photo is named as such below
    fields: 30,
    fieldNameSize: 100,
    fieldSize: 32 * 1024,
    parts: 40,
    headerPairs: 100,
  },
}).array('photos', PHOTO_LIMITS.maxFiles);

const MB = PHOTO_LIMITS.maxBytes / (1024 * 1024);

function toProblem(err: unknown): AppError {
  if (err instanceof multer.MulterError) {
    const field = err.field ?? 'photos';
    switch (err.code) {
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
      default:
        return new AppError(413, 'form_too_large', 'Form too large', err.message, [{ field, detail: err.message }]);
    }
  }
  return new AppError(400, 'malformed_form', 'The form could not be read', undefined, [
    { field: 'body', detail: 'is not a complete multipart/form-data body' },
  ]);
}

export const reportUpload: RequestHandler = (req, res, next) => {
  upload(req, res, (err: unknown) => next(err ? toProblem(err) : undefined));
};
