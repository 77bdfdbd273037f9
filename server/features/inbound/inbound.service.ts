// Messages from any gateway (SMS, Telegram) become reports when they say where and what, and
// wait in the coordinators' inbox otherwise (docs/CHANNELS.md). Gateways parse and verify
// their own webhooks and hand a message here; this never sees req or res.
import crypto from 'node:crypto';
import { withTransaction } from '../../db/transaction';
import { AppError } from '../../http/errors';
import { parse } from '../../http/validate';
import { processPhoto, type ProcessedPhoto } from '../photos/photos.pipeline';
import { removeUnreferencedPhotos } from '../photos/photos.service';
import * as reports from '../reports/reports.repo';
import { newReportSchema } from '../reports/reports.schemas';
import { checkFields, createReport, toPhotoInsert, type ReportsDeps } from '../reports/reports.service';
import { normalise, parseMessage, type Language } from './inbound.parse';
import * as repo from './inbound.repo';
import { replyTexts } from './inbound.texts';
import type { Replies } from './replies';

export interface InboundDeps extends ReportsDeps {
  /** Answers to senders; without it nobody is answered (a deployment without gateways). */
  replies?: Replies;
}

export interface InboundMessage {
  channel: repo.Channel;
  /** Which gateway it came through ('twilio', 'android', 'telegram'). */
  gateway: string;
  /** The gateway's id for the message: a retried webhook is taken once. */
  externalId: string;
  /** A phone number or chat id: contact data. */
  sender: string;
  body: string;
  /** A place shared as a location (a messenger), which a text need not then carry. */
  location?: { lat: number; lon: number; accuracyM?: number };
  /** A category picked from buttons (a messenger). */
  category?: string;
  /** The bytes of the photos the gateway delivered (each already size-bounded by the caller). */
  photos: Buffer[];
  /** The gateway's network address: its photos decode within its own share. */
  client?: string;
}

/**
 * `quiet`: the sender wrote more than FLOOD_PER_HOUR messages within the hour, so the gateway
 * does not answer (two bots answering each other, or SMS pumping, end here).
 */
export type InboundOutcome =
  | { kind: 'filed'; reportId: number; messageId: number; language: Language; replayed: boolean; quiet: boolean }
  | {
      kind: 'inbox';
      messageId: number;
      language: Language;
      missing: ('place' | 'category')[];
      replayed: boolean;
      quiet: boolean;
    }
  /** `changed`: false for a STOP after STOP, or a START of someone who never stopped. */
  | { kind: 'stop' | 'start'; language: Language; changed: boolean };

/**
 * Per sender and hour, the messages that are answered and may be urgent. Every message is kept
 * (a person in need may write often), but a flood from one number neither costs an SMS each
 * nor pushes real help down the inbox with "SOS" in every line.
 */
export const FLOOD_PER_HOUR = 5;

/** At most five photos per message, as on the web. */
export const MAX_MESSAGE_PHOTOS = 5;

/** Words that make a message urgent (and a report filed from it severity 3). */
const URGENT = [' urgent ', ' emergency ', ' sos ', ' dringend ', ' notfall ', ' sofort ', ' urgence ', ' vite '];

/** One idempotency key per gateway message, so a retried webhook files one report. */
const reportKey = (m: InboundMessage) => {
  const hex = crypto.createHash('sha256').update(`inbound ${m.gateway} ${m.externalId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

let wordsCache: { at: number; words: Promise<Awaited<ReturnType<typeof repo.categoryWords>>> } | undefined;
/** The taxonomy changes with a migration only: read it once a minute at most. */
export function taxonomyWords(deps: Pick<InboundDeps, 'pool'>) {
  if (!wordsCache || Date.now() - wordsCache.at > 60_000) {
    const words = repo.categoryWords(deps.pool);
    words.catch(() => (wordsCache = undefined));
    wordsCache = { at: Date.now(), words };
  }
  return wordsCache.words;
}

export async function receiveMessage(deps: InboundDeps, m: InboundMessage): Promise<InboundOutcome> {
  const body = m.body.slice(0, 4000);
  const parsed = parseMessage(body, await taxonomyWords(deps));
  if (parsed.command) {
    const changed = await repo.setOptOut(deps.pool, m.channel, m.sender, parsed.command === 'stop');
    return { kind: parsed.command, language: parsed.language, changed };
  }
  const place = m.location ?? parsed.place;
  const category = m.category ?? parsed.category;
  const kind = m.category ? (await deps.taxonomy.find(m.category))?.kind : parsed.kind;
  const quiet = (await repo.recentFrom(deps.pool, m, FLOOD_PER_HOUR)) >= FLOOD_PER_HOUR;
  const urgent = !quiet && (kind === 'help' || URGENT.some((w) => normalise(body).includes(w)));
  const photos = m.photos.slice(0, MAX_MESSAGE_PHOTOS);
  const language = parsed.language;

  if (place && category) {
    const fields = parse(
      newReportSchema,
      {
        category,
        lat: place.lat,
        lon: place.lon,
        ...(place.accuracyM === undefined ? {} : { accuracy_m: Math.min(place.accuracyM, 100_000) }),
        ...(body.trim() ? { description: body.trim() } : {}),
        severity: urgent ? 3 : 2,
        contact: m.sender,
      },
      'The message could not be filed',
    );
    const { report, replayed } = await createReport(deps, {
      fields,
      photos,
      idempotencyKey: reportKey(m),
      client: m.client,
      source: m.channel,
    });
    // The message is kept beside its report: staff see what was sent, replies find the sender.
    const { id, created } = await repo.insertMessage(
      deps.pool,
      { ...messageRow(m, body, language, urgent), lat: place.lat, lon: place.lon, category },
      [],
    );
    if (created || replayed)
      await repo.setState(deps.pool, [id], { state: 'filed', reportId: report.id, staffId: null });
    deps.events.notify();
    return { kind: 'filed', reportId: report.id, messageId: id, language, replayed: !created, quiet };
  }

  const processed: ProcessedPhoto[] = [];
  for (const [i, upload] of photos.entries()) processed.push(await processPhoto(upload, `photos[${i}]`, m.client));
  const written: string[] = [];
  try {
    for (const photo of processed)
      if (await deps.storage.put(photo.hash, { display: photo.display, thumbnail: photo.thumbnail }))
        written.push(photo.hash);
    const { id, created } = await repo.insertMessage(
      deps.pool,
      {
        ...messageRow(m, body, language, urgent),
        lat: place?.lat ?? null,
        lon: place?.lon ?? null,
        category: category ?? null,
      },
      processed.map(toPhotoInsert),
    );
    if (!created) await removeUnreferencedPhotos(deps.pool, deps.storage, written);
    deps.events.notify();
    const missing = [...(place ? [] : ['place' as const]), ...(category ? [] : ['category' as const])];
    return { kind: 'inbox', messageId: id, language, missing, replayed: !created, quiet };
  } catch (err) {
    await removeUnreferencedPhotos(deps.pool, deps.storage, written).catch(() => undefined);
    throw err;
  }
}

const messageRow = (m: InboundMessage, body: string, language: Language, urgent: boolean) => ({
  channel: m.channel,
  gateway: m.gateway,
  externalId: m.externalId,
  sender: m.sender,
  body: body || null,
  urgent,
  language,
});

export interface FileInput {
  /** The messages that become one report (the first one's channel is the report's source). */
  messageIds: number[];
  /** Either a new report's fields (the place and category the coordinator chose)… */
  fields?: { lat: number; lon: number; category: string; severity: number; description?: string };
  /** …or an existing report the messages are about. */
  reportId?: number;
  staffId: number;
  /** The report's public page: the senders are told it. */
  reportUrl: (reportId: number) => string;
}

/**
 * A coordinator files messages as one report (new, or one that exists), all or nothing: the
 * report, its photos from the messages (pending, as every staff-added photo) and the messages'
 * state change commit together. Messages no longer in the inbox answer 409.
 */
export async function fileMessages(deps: InboundDeps, input: FileInput): Promise<{ reportId: number }> {
  const ids = [...new Set(input.messageIds)];
  // The category's checks read the taxonomy through the pool: before the transaction, which
  // holds the embedded database's one connection.
  const fields = input.fields && (await checkFields(deps, reportFields(input.fields)));
  const filed = await withTransaction(deps.pool, async (client) => {
    const messages: repo.MessageRow[] = [];
    for (const id of ids.sort((a, b) => a - b)) {
      const message = await repo.findMessage(client, id, { lock: true });
      if (!message) {
        throw new AppError(404, 'not_found', 'Message not found', `Message ${id} does not exist.`, [
          { field: 'message_ids', detail: `message ${id} does not exist` },
        ]);
      }
      if (message.state !== 'inbox') {
        throw new AppError(409, 'message_handled', 'Message already handled', undefined, [
          { field: 'message_ids', detail: `message ${id} is no longer in the inbox (${message.state})` },
        ]);
      }
      messages.push(message);
    }
    const ordered = input.messageIds.map((id) => messages.find((m) => m.id === id)!);
    const photos = await repo.messagePhotos(
      client,
      ordered.map((m) => m.id),
    );
    let reportId = input.reportId;
    if (reportId === undefined) {
      const words = ordered
        .map((m) => m.body?.trim())
        .filter(Boolean)
        .join('\n\n');
      const row: reports.ReportInsert = {
        ...fields!,
        description: input.fields!.description ?? (words.slice(0, 4000) || null),
        contact: [...new Set(ordered.map((m) => m.sender))].join(', ').slice(0, 300),
        source: ordered[0]!.channel,
      };
      reportId = await reports.insertReport(client, row, photos.slice(0, 5), { helpGridM: deps.helpGridM });
      if (photos.length > 5) await reports.insertPhotos(client, reportId, photos.slice(5, 20), 5);
    } else {
      const existing = await reports.findReport(client, reportId, 'staff');
      if (!existing) throw AppError.validation([{ field: 'report_id', detail: `report ${reportId} does not exist` }]);
      await reports.insertPhotos(
        client,
        reportId,
        photos.slice(0, Math.max(0, 20 - existing.photos.length)),
        existing.photos.length,
      );
    }
    await repo.setState(client, ids, { state: 'filed', reportId, staffId: input.staffId });
    return { reportId };
  }).finally(() => deps.events.notify());
  deps.replies?.notifyReport(filed.reportId, (language) =>
    replyTexts.filed(language, filed.reportId, input.reportUrl(filed.reportId)),
  );
  return filed;
}

const reportFields = (f: NonNullable<FileInput['fields']>) =>
  parse(
    newReportSchema,
    { category: f.category, lat: f.lat, lon: f.lon, severity: f.severity, description: f.description },
    'The report has invalid fields',
  );

/** Sets a message aside as spam or "not a report", or back into the inbox. */
export async function setMessageState(
  deps: InboundDeps,
  input: { messageId: number; state: 'spam' | 'not_report' | 'inbox'; staffId: number },
): Promise<repo.MessageRow> {
  const message = await withTransaction(deps.pool, async (client) => {
    const message = await repo.findMessage(client, input.messageId, { lock: true });
    if (!message) throw AppError.notFound(`Message ${input.messageId}`);
    if (message.state === 'filed') {
      throw new AppError(
        409,
        'message_handled',
        'Message already filed',
        `Message ${message.id} was filed as report ${message.reportId}.`,
      );
    }
    await repo.setState(client, [message.id], { state: input.state, reportId: null, staffId: input.staffId });
    return { ...message, state: input.state };
  });
  deps.events.notify();
  return message;
}
