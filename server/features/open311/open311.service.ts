// Wegfrei in GeoReport v2 terms: categories are services, reports are service requests,
// our seven statuses fold into open and closed. Only public fields leave: no contact, help
// requests at their coarse public point and without an address (DESIGN.md, Privacy).
import { uploadBudget } from '../photos/photos.budget';
import { AppError } from '../../http/errors';
import { parse } from '../../http/validate';
import { verifyApiKey } from '../apikeys/apikeys.service';
import type { Category, Language } from '../categories/categories.repo';
import type { ReportRow } from '../reports/reports.repo';
import { newReportSchema, OPEN_STATUSES, type Status } from '../reports/reports.schemas';
import { createReport, type ReportsDeps } from '../reports/reports.service';
import type { Text } from './open311.catalog';
import { w3cDateTime } from './open311.format';
import { fetchMedia, MEDIA_LIMITS } from './open311.media';
import type { Open311Form } from './open311.schemas';

export type Open311Status = 'open' | 'closed';
export const OPEN311_STATUSES: Record<Open311Status, readonly Status[]> = {
  open: OPEN_STATUSES,
  // Rejected reports are closed too, but never public, so no list or lookup finds them.
  closed: ['resolved', 'rejected', 'duplicate'],
};
export const open311Status = (s: Status): Open311Status =>
  (OPEN_STATUSES as readonly Status[]).includes(s) ? 'open' : 'closed';

const STATUS_NOTES: Record<Status, Text> = {
  new: { en: 'Reported, not yet reviewed', de: 'Gemeldet, noch nicht geprüft', fr: 'Signalé, pas encore vérifié' },
  verified: { en: 'Verified', de: 'Bestätigt', fr: 'Vérifié' },
  assigned: { en: 'Assigned to a team', de: 'Einem Team zugewiesen', fr: 'Confié à une équipe' },
  in_progress: { en: 'Being dealt with', de: 'In Bearbeitung', fr: 'En cours de traitement' },
  resolved: { en: 'Resolved', de: 'Erledigt', fr: 'Résolu' },
  rejected: { en: 'Rejected', de: 'Abgelehnt', fr: 'Rejeté' },
  duplicate: { en: 'Duplicate', de: 'Doppelt gemeldet', fr: 'Doublon' },
};

/** 7 decimals ≈ 1 cm, as in the GeoJSON answers. */
const round7 = (n: number) => Math.round(n * 1e7) / 1e7;

/** One service request; `row` must have been read with the public audience. */
export function requestJson(row: ReportRow, opts: { baseUrl: string; lang: Language; category?: Category }) {
  const duplicate = row.status === 'duplicate' && row.duplicateOf !== null ? ` (${row.duplicateOf})` : '';
  const photo = row.photos[0];
  return {
    service_request_id: String(row.id),
    status: open311Status(row.status),
    status_notes: STATUS_NOTES[row.status][opts.lang] + duplicate,
    service_name: opts.category?.labels[opts.lang] ?? row.category,
    service_code: row.category,
    description: row.description,
    agency_responsible: null,
    service_notice: null,
    requested_datetime: w3cDateTime(row.createdAt),
    updated_datetime: w3cDateTime(row.updatedAt),
    expected_datetime: null,
    // A help request's address would undo its coarse public point.
    address: row.kind === 'help' ? null : row.address,
    address_id: null,
    zipcode: null,
    lat: round7(row.lat),
    long: round7(row.lon),
    media_url: photo ? `${opts.baseUrl}/photos/${photo.hash}.jpg` : null,
  };
}

/**
 * How deep `page` may reach: the database reads and skips every row before a page (OFFSET),
 * so a page a million deep costs a scan of the whole table. Older requests are reached with
 * start_date and end_date instead, at the cost of any page.
 */
export const MAX_LIST_DEPTH = 10_000;
export const DEFAULT_PAGE_SIZE = 50;

/** The rows `page` and `page_size` ask for, or a 400 naming `page` when it reaches too deep. */
export function listPage(q: { page?: number; page_size?: number }): { offset: number; limit: number } {
  const limit = q.page_size ?? DEFAULT_PAGE_SIZE;
  const page = q.page ?? 1;
  const deepest = Math.floor(MAX_LIST_DEPTH / limit);
  if (page > deepest) {
    throw AppError.validation([
      {
        field: 'page',
        detail: `must be at most ${deepest} with page_size ${limit} (the newest ${MAX_LIST_DEPTH} requests); narrow older ones with start_date and end_date`,
      },
    ]);
  }
  return { offset: (page - 1) * limit, limit };
}

const NOTICE: Text = {
  en: 'Thank you. Staff review new reports; follow this one at',
  de: 'Danke. Neue Meldungen werden geprüft; diese können Sie verfolgen unter',
  fr: 'Merci. Les nouveaux signalements sont examinés ; suivez celui-ci sur',
};

export function createdJson(row: ReportRow, opts: { baseUrl: string; lang: Language }) {
  return {
    service_request_id: String(row.id),
    service_notice: `${NOTICE[opts.lang]} ${opts.baseUrl}/reports/${row.id}`,
    account_id: null,
  };
}

export interface SubmitDeps extends ReportsDeps {
  allowPrivateMedia: boolean;
}

export interface SubmitInput {
  form: Open311Form;
  /** A photo sent in the multipart field `media`. */
  media?: Buffer;
  idempotencyKey?: string;
  /** The client address (its photos decode within its own share). */
  client?: string;
}

/**
 * POST requests: a live API key first (nothing else is looked at without one), then the
 * form, then the photo; the report is stored by the same createReport as every other report.
 */
export async function submitRequest(deps: SubmitDeps, input: SubmitInput): Promise<ReportRow> {
  const { form } = input;
  if (!(await verifyApiKey(deps.pool, form.apiKey))) {
    throw new AppError(403, 'api_key', 'Invalid api_key', 'api_key was not provided, is not known or was revoked.');
  }
  const errors = [...form.errors];
  if (input.media && form.mediaUrl) errors.push({ field: 'media_url', detail: 'send either media or media_url' });
  if (!form.serviceCode) errors.push({ field: 'service_code', detail: 'is required' });
  if (errors.length) throw AppError.validation(errors);
  // GeoReport v2, POST Service Request: "404 - service_code … was not found"; 400 is for one not provided.
  if (!(await deps.taxonomy.find(form.serviceCode!))) {
    throw new AppError(404, 'service_code', 'Unknown service_code', undefined, [
      { field: 'service_code', detail: `"${form.serviceCode}" was not found` },
    ]);
  }
  const fields = parse(newReportSchema, form.fields, 'The request has invalid fields');
  const store = (photos: Buffer[]) =>
    createReport(deps, {
      fields,
      photos,
      idempotencyKey: input.idempotencyKey,
      client: input.client,
      source: 'open311',
    });
  if (input.media || !form.mediaUrl) return (await store(input.media ? [input.media] : [])).report;
  // A fetched photo is held in memory like an uploaded one, so it counts against the same budget.
  const mediaUrl = form.mediaUrl;
  const { report } = await uploadBudget.run(MEDIA_LIMITS.maxBytes, async () =>
    store([await fetchMedia(mediaUrl, { allowPrivate: deps.allowPrivateMedia })]),
  );
  return report;
}
