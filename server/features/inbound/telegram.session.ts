// SQL only: a Telegram conversation that builds one report over several updates (a location,
// photos, words, a category button), in chat_sessions (migrations/0014_channels.sql). The
// sender is the chat id: contact data, kept here only while the report is being made. A session
// untouched for a day is over: takeExpired hands what it held to the inbox.
import { z } from 'zod';
import type { Queryable } from '../reports/reports.repo';
import type { Language } from './inbound.parse';

/** A day of silence ends a conversation. */
export const SESSION_TTL_HOURS = 24;

const stateSchema = z.object({
  language: z.enum(['en', 'de', 'fr']).catch('en'),
  location: z.object({ lat: z.number(), lon: z.number(), accuracyM: z.number().optional() }).optional(),
  category: z.string().max(60).optional(),
  /** Telegram's file ids: the photos are fetched when the report is filed. */
  photos: z.array(z.string().max(200)).max(5).catch([]),
  words: z.array(z.string().max(4096)).max(20).catch([]),
  /** Updates already taken into this session: a redelivered one changes nothing. */
  updates: z.array(z.number()).max(50).catch([]),
});

export type SessionState = z.infer<typeof stateSchema>;

export const emptySession = (language: Language): SessionState => ({ language, photos: [], words: [], updates: [] });

const TELEGRAM = 'telegram';

export async function getSession(db: Queryable, sender: string): Promise<SessionState | undefined> {
  const { rows } = await db.query<{ state: unknown }>(
    `SELECT state FROM chat_sessions
      WHERE channel = $1 AND sender = $2 AND updated_at > now() - make_interval(hours => $3)`,
    [TELEGRAM, sender, SESSION_TTL_HOURS],
  );
  if (!rows[0]) return undefined;
  const parsed = stateSchema.safeParse(rows[0].state);
  return parsed.success ? parsed.data : undefined;
}

export async function saveSession(db: Queryable, sender: string, state: SessionState): Promise<void> {
  const kept = { ...state, updates: state.updates.slice(-50), words: state.words.slice(-20) };
  await db.query(
    `INSERT INTO chat_sessions (channel, sender, state, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (channel, sender) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`,
    [TELEGRAM, sender, JSON.stringify(kept)],
  );
}

export async function dropSession(db: Queryable, sender: string): Promise<void> {
  await db.query('DELETE FROM chat_sessions WHERE channel = $1 AND sender = $2', [TELEGRAM, sender]);
}

/** Sessions silent for a day, removed; a few at a time, so one webhook call stays short. */
export async function takeExpired(
  db: Queryable,
  limit = 20,
): Promise<{ sender: string; state: SessionState; updatedAt: Date }[]> {
  const { rows } = await db.query<{ sender: string; state: unknown; updated_at: Date }>(
    `DELETE FROM chat_sessions
      WHERE channel = $1 AND sender IN (
            SELECT sender FROM chat_sessions
             WHERE channel = $1 AND updated_at <= now() - make_interval(hours => $2)
             ORDER BY updated_at LIMIT $3)
      RETURNING sender, state, updated_at`,
    [TELEGRAM, SESSION_TTL_HOURS, limit],
  );
  return rows.flatMap((r) => {
    const parsed = stateSchema.safeParse(r.state);
    return parsed.success ? [{ sender: r.sender, state: parsed.data, updatedAt: r.updated_at }] : [];
  });
}

/** Whether a message with this id came through already (a redelivered update that filed). */
export async function messageSeen(db: Queryable, externalId: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM inbound_messages WHERE gateway = $1 AND external_id = $2', [
    TELEGRAM,
    externalId,
  ]);
  return rows.length > 0;
}

/**
 * A chat's language is Telegram's word for it (language_code); receiveMessage guesses one from
 * the words, and a location, a photo and a button have none. Later replies read it from here.
 */
export async function setMessageLanguage(db: Queryable, externalId: string, language: Language): Promise<void> {
  await db.query('UPDATE inbound_messages SET language = $3 WHERE gateway = $1 AND external_id = $2', [
    TELEGRAM,
    externalId,
    language,
  ]);
}
