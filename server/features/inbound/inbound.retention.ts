// What the inbox forgets: messages set aside as spam or "not a report" keep a phone number or
// chat id that no report needs, so they are deleted SET_ASIDE_DAYS after a coordinator set them
// aside (time to undo a mistake). Bot conversations are the bot's: one silent for a day goes to
// the inbox with what it held at the bot's next update (telegram.bot.ts, sweepExpired); one that
// no update reached for SESSION_IDLE_DAYS (a bot nobody wrote to for a month) is dropped here.
// Photo files go with the next photo sweep (photos.service.ts). Filed messages stay with their report:
// the report's contact is the same number, and staff see what was sent.
import type pg from 'pg';
import { startPeriodic, type PeriodicJob } from '../../jobs';
import type { Logger } from '../../logger';

export const SET_ASIDE_DAYS = 30;
export const SESSION_IDLE_DAYS = 30;

export async function forgetOldMessages(pool: pg.Pool): Promise<{ messages: number; sessions: number }> {
  const messages = await pool.query(
    `DELETE FROM inbound_messages
      WHERE state IN ('spam', 'not_report') AND handled_at < now() - make_interval(days => $1)`,
    [SET_ASIDE_DAYS],
  );
  const sessions = await pool.query('DELETE FROM chat_sessions WHERE updated_at < now() - make_interval(days => $1)', [
    SESSION_IDLE_DAYS,
  ]);
  return { messages: messages.rowCount ?? 0, sessions: sessions.rowCount ?? 0 };
}

export function startInboxRetention(pool: pg.Pool, logger: Logger): PeriodicJob {
  return startPeriodic(
    60 * 60 * 1000,
    async () => {
      const forgotten = await forgetOldMessages(pool);
      if (forgotten.messages || forgotten.sessions) logger.info(forgotten, 'Forgot messages set aside and idle chats');
    },
    (err) => logger.warn({ err }, 'Forgetting old inbox messages failed; will retry'),
  );
}
