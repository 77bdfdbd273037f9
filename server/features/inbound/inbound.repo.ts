// SQL only: messages from gateways, their photos, the inbox, opt-outs. `sender` (a phone number
// or chat id) is contact data: it is read here for staff and for replies, and never leaves
// through a public channel (docs/CHANNELS.md, Privacy).
import { photoColumns, type Queryable, type PhotoInsert } from '../reports/reports.repo';
import type { CategoryWords, Language } from './inbound.parse';

export type Channel = 'sms' | 'telegram';
export type MessageState = 'inbox' | 'filed' | 'spam' | 'not_report';

export interface MessageInsert {
  channel: Channel;
  gateway: string;
  externalId: string;
  sender: string;
  body: string | null;
  lat: number | null;
  lon: number | null;
  category: string | null;
  urgent: boolean;
  language: Language;
}

export interface MessagePhoto {
  hash: string;
  width: number;
  height: number;
}

export interface MessageRow {
  id: number;
  channel: Channel;
  gateway: string;
  sender: string;
  body: string | null;
  lat: number | null;
  lon: number | null;
  category: string | null;
  urgent: boolean;
  language: Language;
  state: MessageState;
  reportId: number | null;
  handledAt: Date | null;
  receivedAt: Date;
  photos: MessagePhoto[];
}

const SELECT_MESSAGE = `
  SELECT m.id, m.channel, m.gateway, m.sender, m.body, ST_Y(m.geom) AS lat, ST_X(m.geom) AS lon, m.category,
         m.urgent, m.language, m.state, m.report_id, m.handled_at, m.received_at,
         COALESCE((SELECT json_agg(json_build_object('hash', p.hash, 'width', p.width, 'height', p.height)
                                   ORDER BY p.position)
                     FROM inbound_photos p WHERE p.message_id = m.id), '[]') AS photos
    FROM inbound_messages m`;

const toMessage = (r: Record<string, unknown>): MessageRow => ({
  id: Number(r.id),
  channel: r.channel as Channel,
  gateway: r.gateway as string,
  sender: r.sender as string,
  body: r.body as string | null,
  lat: r.lat as number | null,
  lon: r.lon as number | null,
  category: r.category as string | null,
  urgent: r.urgent as boolean,
  language: r.language as Language,
  state: r.state as MessageState,
  reportId: r.report_id === null ? null : Number(r.report_id),
  handledAt: r.handled_at as Date | null,
  receivedAt: r.received_at as Date,
  photos: r.photos as MessagePhoto[],
});

/** The taxonomy's labels and words, for reading messages (inbound.parse.ts). */
export async function categoryWords(db: Queryable): Promise<CategoryWords[]> {
  const { rows } = await db.query<{
    code: string;
    kind: 'barrier' | 'help';
    label_en: string;
    label_de: string;
    label_fr: string;
    words: string[];
  }>('SELECT code, kind, label_en, label_de, label_fr, words FROM categories ORDER BY sort_order');
  return rows.map((r) => ({
    code: r.code,
    kind: r.kind,
    words: { en: [r.label_en], de: [r.label_de], fr: [r.label_fr] },
    other: r.words,
  }));
}

/**
 * Stores a message once per gateway id: a retried webhook finds the first row. Returns the row
 * and whether this call made it.
 */
export async function insertMessage(
  db: Queryable,
  m: MessageInsert,
  photos: PhotoInsert[],
): Promise<{ id: number; created: boolean }> {
  const { rows } = await db.query<{ id: string }>(
    `WITH message AS (
       INSERT INTO inbound_messages (channel, gateway, external_id, sender, body, geom, category, urgent, language)
       VALUES ($1, $2, $3, $4, $5,
               CASE WHEN $6::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($7, $6), 4326) END,
               $8, $9, $10)
       ON CONFLICT (gateway, external_id) DO NOTHING
       RETURNING id),
     photo_rows AS (
       INSERT INTO inbound_photos (message_id, position, hash, width, height, thumb_width, thumb_height, bytes)
       SELECT message.id, p.ord - 1, p.hash, p.width, p.height, p.thumb_width, p.thumb_height, p.bytes
         FROM message, unnest($11::text[], $12::int[], $13::int[], $14::int[], $15::int[], $16::int[])
              WITH ORDINALITY AS p(hash, width, height, thumb_width, thumb_height, bytes, ord)),
     event AS (INSERT INTO report_events (type, message_id) SELECT 'inbox.changed', id FROM message)
     SELECT id FROM message`,
    [
      m.channel,
      m.gateway,
      m.externalId,
      m.sender,
      m.body,
      m.lat,
      m.lon,
      m.category,
      m.urgent,
      m.language,
      ...photoColumns(photos),
    ],
  );
  if (rows[0]) return { id: Number(rows[0].id), created: true };
  const earlier = await db.query<{ id: string }>(
    'SELECT id FROM inbound_messages WHERE gateway = $1 AND external_id = $2',
    [m.gateway, m.externalId],
  );
  return { id: Number(earlier.rows[0]!.id), created: false };
}

/** How many other messages the sender sent within the hour, counted up to `max` (sender index). */
export async function recentFrom(
  db: Queryable,
  m: { channel: Channel; sender: string; gateway: string; externalId: string },
  max: number,
): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (
       SELECT 1 FROM inbound_messages
        WHERE channel = $1 AND sender = $2 AND received_at > now() - interval '1 hour'
          AND NOT (gateway = $3 AND external_id = $4)
        LIMIT $5) recent`,
    [m.channel, m.sender, m.gateway, m.externalId, max],
  );
  return rows[0]!.n;
}

export async function findMessage(
  db: Queryable,
  id: number,
  opts: { lock?: boolean } = {},
): Promise<MessageRow | undefined> {
  if (opts.lock) await db.query('SELECT 1 FROM inbound_messages WHERE id = $1 FOR UPDATE', [id]);
  const { rows } = await db.query<Record<string, unknown>>(`${SELECT_MESSAGE} WHERE m.id = $1`, [id]);
  return rows[0] ? toMessage(rows[0]) : undefined;
}

/** The inbox: urgent first, then newest; keyset on (urgent, received_at, id). */
export async function listInbox(
  db: Queryable,
  opts: { limit: number; state: MessageState; after?: { urgent: boolean; receivedAt: Date; id: number } },
): Promise<MessageRow[]> {
  const params: unknown[] = [opts.state, opts.limit];
  let keyset = '';
  if (opts.after) {
    params.push(opts.after.urgent, opts.after.receivedAt, opts.after.id);
    keyset = 'AND (m.urgent, m.received_at, m.id) < ($3::boolean, $4::timestamptz, $5::bigint)';
  }
  const { rows } = await db.query<Record<string, unknown>>(
    `${SELECT_MESSAGE} WHERE m.state = $1 ${keyset}
      ORDER BY m.urgent DESC, m.received_at DESC, m.id DESC LIMIT $2`,
    params,
  );
  return rows.map(toMessage);
}

export async function countInbox(db: Queryable): Promise<{ total: number; urgent: number }> {
  const { rows } = await db.query<{ total: number; urgent: number }>(
    `SELECT count(*)::int AS total, count(*) FILTER (WHERE urgent)::int AS urgent
       FROM inbound_messages WHERE state = 'inbox'`,
  );
  return rows[0]!;
}

/** The photos of messages, in message order, as rows for a report (inbound_photos keeps the files alive). */
export async function messagePhotos(db: Queryable, ids: number[]): Promise<PhotoInsert[]> {
  const { rows } = await db.query<Record<string, number | string>>(
    `SELECT p.hash, p.width, p.height, p.thumb_width, p.thumb_height, p.bytes
       FROM inbound_photos p JOIN unnest($1::bigint[]) WITH ORDINALITY AS i(id, ord) ON i.id = p.message_id
      ORDER BY i.ord, p.position`,
    [ids],
  );
  return rows.map((r) => ({
    hash: r.hash as string,
    width: r.width as number,
    height: r.height as number,
    thumbWidth: r.thumb_width as number,
    thumbHeight: r.thumb_height as number,
    bytes: r.bytes as number,
  }));
}

/** Marks messages handled (filed into a report, spam, not a report), each with its live event. */
export async function setState(
  db: Queryable,
  ids: number[],
  change: { state: MessageState; reportId: number | null; staffId: number | null },
): Promise<void> {
  await db.query(
    `WITH changed AS (
       UPDATE inbound_messages SET state = $2, report_id = coalesce($3, report_id), handled_by = $4, handled_at = now()
        WHERE id = ANY($1::bigint[]) RETURNING id)
     INSERT INTO report_events (type, message_id) SELECT 'inbox.changed', id FROM changed`,
    [ids, change.state, change.reportId, change.staffId],
  );
}

/** Who wrote about a report and still takes replies: for status updates. */
export async function repliesFor(
  db: Queryable,
  reportId: number,
): Promise<{ channel: Channel; gateway: string; sender: string; language: Language }[]> {
  const { rows } = await db.query<{ channel: Channel; gateway: string; sender: string; language: Language }>(
    `SELECT DISTINCT ON (m.channel, m.sender) m.channel, m.gateway, m.sender, m.language
       FROM inbound_messages m
      WHERE m.report_id = $1
        AND NOT EXISTS (SELECT 1 FROM reply_opt_outs o WHERE o.channel = m.channel AND o.sender = m.sender)
      ORDER BY m.channel, m.sender, m.received_at DESC`,
    [reportId],
  );
  return rows;
}

/** Records STOP (out) or START; true when it changed something (a repeated STOP does not). */
export async function setOptOut(db: Queryable, channel: Channel, sender: string, out: boolean): Promise<boolean> {
  const { rowCount } = await db.query(
    out
      ? 'INSERT INTO reply_opt_outs (channel, sender) VALUES ($1, $2) ON CONFLICT DO NOTHING'
      : 'DELETE FROM reply_opt_outs WHERE channel = $1 AND sender = $2',
    [channel, sender],
  );
  return (rowCount ?? 0) > 0;
}

export async function isOptedOut(db: Queryable, channel: Channel, sender: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM reply_opt_outs WHERE channel = $1 AND sender = $2', [
    channel,
    sender,
  ]);
  return (rowCount ?? 0) > 0;
}
