// The Telegram conversation (docs/CHANNELS.md, "Telegram"): a person shares a place and a
// photo in any order, with words if they like, and picks the category from buttons; then the
// report is filed through receiveMessage like any message, and the bot answers with its link.
// What one update adds is kept in chat_sessions until the report can be filed.
//
// When a message goes to the coordinators' inbox instead:
// - a text without a place, when no report is being built (no place, photo or category so
//   far): at once, as an SMS would, with a hint to share the place next time;
// - a conversation that never got both a place and a category: when it has been silent for a
//   day (sweepExpired), with what it held (place, photos, words).
import { AppError } from '../../http/errors';
import type { Logger } from '../../logger';
import { uploadBudget } from '../photos/photos.budget';
import { PHOTO_LIMITS } from '../photos/photos.pipeline';
import { parseMessage, type Language } from './inbound.parse';
import { receiveMessage, taxonomyWords, type InboundDeps, type InboundOutcome } from './inbound.service';
import { replyTexts } from './inbound.texts';
import type { InlineButton, TelegramClient } from './telegram.client';
import type { TelegramCallback, TelegramMessage, TelegramPhotoSize, TelegramUpdate } from './telegram.routes';
import * as sessions from './telegram.session';
import { telegramTexts } from './telegram.texts';

export interface TelegramBotDeps extends InboundDeps {
  client: TelegramClient;
  logger: Logger;
}

export interface UpdateContext {
  /** The reports' public pages start here. */
  baseUrl: string;
  /** The webhook caller's address (photos decode within its share). */
  client?: string;
}

type Place = NonNullable<sessions.SessionState['location']>;

export const languageOf = (code: string | undefined): Language => {
  const two = code?.slice(0, 2).toLowerCase();
  return two === 'de' || two === 'fr' ? two : 'en';
};

/** One update of a chat at a time: a location and a photo sent together must not both miss the other. */
const chatLocks = new Map<string, Promise<unknown>>();
function inTurn<T>(chat: string, task: () => Promise<T>): Promise<T> {
  const before = chatLocks.get(chat) ?? Promise.resolve();
  const run = before.then(task, task);
  const settled = run.catch(() => undefined);
  chatLocks.set(chat, settled);
  void settled.then(() => chatLocks.get(chat) === settled && chatLocks.delete(chat));
  return run;
}

/** The largest size of a photo that fits the photo limits (Telegram lists several). */
export function bestPhoto(sizes: TelegramPhotoSize[]): TelegramPhotoSize | undefined {
  return sizes
    .filter((s) => (s.file_size ?? 0) <= PHOTO_LIMITS.maxBytes && s.width * s.height <= PHOTO_LIMITS.maxPixels)
    .sort((a, b) => b.width * b.height - a.width * a.height)[0];
}

async function say(deps: TelegramBotDeps, chat: string, text: string, buttons?: InlineButton[][]): Promise<void> {
  try {
    await deps.client.sendMessage(chat, text, buttons);
  } catch (err) {
    // TelegramError names the method and a reason only: never the chat or the token.
    deps.logger.warn({ err: { message: (err as Error).message } }, 'A Telegram answer could not be sent');
  }
}

/** The categories as buttons, barriers then help requests, two a row, in the chat's language. */
async function categoryButtons(deps: TelegramBotDeps, language: Language): Promise<InlineButton[][]> {
  const all = await deps.taxonomy.all();
  const ordered = [...all.filter((c) => c.kind === 'barrier'), ...all.filter((c) => c.kind === 'help')];
  const rows: InlineButton[][] = [];
  for (const [i, c] of ordered.entries()) {
    const label = `${c.kind === 'help' ? '🆘 ' : ''}${c.labels[language] ?? c.labels.en}`;
    if (i % 2 === 0 || ordered[i - 1]?.kind !== c.kind) rows.push([]);
    rows.at(-1)!.push({ text: label, callback_data: c.code });
  }
  return rows;
}

/** Fetches the session's photos within the upload budget and files the message with them. */
async function receiveWithPhotos(
  deps: TelegramBotDeps,
  message: Omit<Parameters<typeof receiveMessage>[1], 'photos'>,
  fileIds: string[],
): Promise<InboundOutcome> {
  const leftOut = (err: unknown) => {
    deps.logger.warn({ err: { message: (err as Error).message } }, 'A Telegram photo was left out');
    return undefined;
  };
  // At once, not one after another: the webhook's answer waits for them, and Telegram for it.
  const named = await Promise.all(fileIds.map((id) => deps.client.getFile(id).catch(leftOut)));
  const files = named.flatMap((file) => {
    const size = typeof file?.file_size === 'number' ? file.file_size : PHOTO_LIMITS.maxBytes;
    return file && size <= PHOTO_LIMITS.maxBytes && typeof file.file_path === 'string'
      ? [{ path: file.file_path, size }]
      : [];
  });
  const receive = (photos: Buffer[]) => receiveMessage(deps, { ...message, photos });
  if (!files.length) return receive([]);
  // Downloaded photos are held in memory like uploaded ones, so they count against the same
  // budget; a download larger than getFile said is refused, so no more is held than declared.
  const declared = files.reduce((sum, f) => sum + Math.max(f.size, 1), 0);
  return uploadBudget.run(declared, async () => {
    const downloads = await Promise.all(
      files.map((f) => deps.client.download(f.path, Math.max(f.size, 1)).catch(leftOut)),
    );
    const photos = downloads.filter((bytes): bytes is Buffer => Boolean(bytes?.length));
    try {
      return await receive(photos);
    } catch (err) {
      // A photo the pipeline refuses (not an image, a pixel flood) must not lose the report.
      if (err instanceof AppError && err.status < 500 && photos.length) return receive([]);
      throw err;
    }
  });
}

/** Files what the session holds; answers with the report's link (or the inbox hint). */
async function file(
  deps: TelegramBotDeps,
  ctx: UpdateContext,
  chat: string,
  s: sessions.SessionState,
  externalId: string,
): Promise<void> {
  let outcome: InboundOutcome;
  try {
    outcome = await receiveWithPhotos(
      deps,
      {
        channel: 'telegram',
        gateway: 'telegram',
        externalId,
        sender: chat,
        body: s.words.join('\n').slice(0, 4000),
        ...(s.location ? { location: s.location } : {}),
        ...(s.category ? { category: s.category } : {}),
        client: ctx.client,
      },
      s.photos,
    );
  } catch (err) {
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    deps.logger.warn({ err: { message: err.message, errors: err.errors } }, 'A Telegram message could not be filed');
    await sessions.dropSession(deps.pool, chat);
    return say(deps, chat, telegramTexts.failed(s.language));
  }
  await sessions.dropSession(deps.pool, chat);
  if (outcome.kind === 'filed' || outcome.kind === 'inbox')
    await sessions.setMessageLanguage(deps.pool, externalId, s.language);
  if (outcome.kind === 'filed') {
    const url = `${ctx.baseUrl}/reports/${outcome.reportId}`;
    return say(deps, chat, replyTexts.filed(s.language, outcome.reportId, url));
  }
  if (outcome.kind === 'inbox') return say(deps, chat, telegramTexts.inbox(s.language));
}

function placeOf(message: TelegramMessage): Place | undefined {
  const at = message.location ?? message.venue?.location;
  if (!at) return undefined;
  return {
    lat: at.latitude,
    lon: at.longitude,
    ...(at.horizontal_accuracy === undefined ? {} : { accuracyM: at.horizontal_accuracy }),
  };
}

async function onMessage(deps: TelegramBotDeps, ctx: UpdateContext, updateId: number, message: TelegramMessage) {
  const chat = String(message.chat.id);
  const language = languageOf(message.from?.language_code);
  const text = (message.text ?? message.caption ?? '').trim();
  const externalId = `${chat}:${updateId}`;
  const command = /^\/([a-z]{1,32})(?:@\w{1,64})?(?:\s|$)/i.exec(text)?.[1]?.toLowerCase();
  if (command === 'cancel') {
    await sessions.dropSession(deps.pool, chat);
    return say(deps, chat, telegramTexts.cancelled(language));
  }
  if (command) return say(deps, chat, telegramTexts.welcome(language)); // /start, /help and the rest

  const before = await sessions.getSession(deps.pool, chat);
  if (before?.updates.includes(updateId) || (await sessions.messageSeen(deps.pool, externalId))) return;
  const s = { ...(before ?? sessions.emptySession(language)), language };
  const building = Boolean(s.location || s.photos.length || s.category);
  s.updates = [...s.updates, updateId];

  const parsed = text ? parseMessage(text, await taxonomyWords(deps)) : undefined;
  if (parsed?.command) {
    // STOP and START as for SMS: the opt-out is kept by receiveMessage; the answer is sent anyway.
    const outcome = await receiveMessage(deps, {
      channel: 'telegram',
      gateway: 'telegram',
      externalId,
      sender: chat,
      body: text,
      photos: [],
    });
    if (outcome.kind === 'stop') await sessions.dropSession(deps.pool, chat);
    return say(deps, chat, (outcome.kind === 'start' ? replyTexts.start : replyTexts.stop)(language));
  }

  const shared = placeOf(message);
  if (shared) s.location = shared;
  const photo = message.photo ? bestPhoto(message.photo) : undefined;
  const document = message.document?.mime_type?.startsWith('image/') ? message.document : undefined;
  const fileId = photo?.file_id ?? (document && (document.file_size ?? 0) <= PHOTO_LIMITS.maxBytes && document.file_id);
  if (fileId && s.photos.length < PHOTO_LIMITS.maxFiles) s.photos = [...s.photos, fileId];
  if (parsed) {
    const place = parsed.place;
    if (!s.location && place) s.location = { lat: place.lat, lon: place.lon };
    if (parsed.place?.accuracyM !== undefined && s.location && !shared) s.location.accuracyM = parsed.place.accuracyM;
    if (parsed.category) s.category = parsed.category;
    s.words = [...s.words, text];
  }

  if (s.location && s.category) return file(deps, ctx, chat, s, externalId);
  if (text && !s.location && !building && !fileId) return file(deps, ctx, chat, s, externalId);
  await sessions.saveSession(deps.pool, chat, s);
  if (!s.location) return say(deps, chat, telegramTexts.askPlace(language));
  return say(deps, chat, telegramTexts.askCategory(language), await categoryButtons(deps, language));
}

async function onCallback(deps: TelegramBotDeps, ctx: UpdateContext, updateId: number, query: TelegramCallback) {
  // Telegram shows a spinner on the button until this is answered.
  await deps.client
    .answerCallbackQuery(query.id)
    .catch((err: unknown) =>
      deps.logger.warn({ err: { message: (err as Error).message } }, 'A Telegram button press was not answered'),
    );
  const chat = String(query.message?.chat.id ?? query.from.id);
  const category = query.data ? await deps.taxonomy.find(query.data) : undefined;
  if (!category) return;
  const externalId = `${chat}:${updateId}`;
  const before = await sessions.getSession(deps.pool, chat);
  if (before?.updates.includes(updateId) || (await sessions.messageSeen(deps.pool, externalId))) return;
  const language = languageOf(query.from.language_code);
  const s = { ...(before ?? sessions.emptySession(language)), language, category: category.code };
  s.updates = [...s.updates, updateId];
  if (s.location) return file(deps, ctx, chat, s, externalId);
  await sessions.saveSession(deps.pool, chat, s);
  return say(deps, chat, telegramTexts.askPlace(language));
}

/** Takes one update; chats other than private ones (groups, channels) are ignored. */
export async function handleUpdate(deps: TelegramBotDeps, ctx: UpdateContext, update: TelegramUpdate): Promise<void> {
  if (update.message && update.message.chat.type === 'private') {
    const message = update.message;
    return inTurn(String(message.chat.id), () => onMessage(deps, ctx, update.update_id, message));
  }
  const query = update.callback_query;
  if (query && (!query.message || query.message.chat.type === 'private')) {
    return inTurn(String(query.message?.chat.id ?? query.from.id), () =>
      onCallback(deps, ctx, update.update_id, query),
    );
  }
}

/**
 * Conversations silent for a day go to the inbox with what they held (a place, photos,
 * words), the person told so unless they opted out; a few each call, at most once a minute.
 */
let lastSweep = 0;
export async function sweepExpired(deps: TelegramBotDeps, ctx: UpdateContext, force = false): Promise<void> {
  if (!force && Date.now() - lastSweep < 60_000) return;
  lastSweep = Date.now();
  for (const { sender, state } of await sessions.takeExpired(deps.pool)) {
    if (!state.location && !state.photos.length && !state.words.length) continue;
    const last = state.updates.at(-1) ?? 0;
    await inTurn(sender, async () => {
      const outcome = await receiveWithPhotos(
        deps,
        {
          channel: 'telegram',
          gateway: 'telegram',
          externalId: `${sender}:${last}:expired`,
          sender,
          body: state.words.join('\n').slice(0, 4000),
          ...(state.location ? { location: state.location } : {}),
          ...(state.category ? { category: state.category } : {}),
          client: ctx.client,
        },
        state.photos,
      );
      if (outcome.kind === 'inbox')
        await sessions.setMessageLanguage(deps.pool, `${sender}:${last}:expired`, state.language);
      if (outcome.kind === 'inbox' && !outcome.replayed) {
        await deps.replies?.send(
          { channel: 'telegram', gateway: 'telegram', sender, language: state.language },
          telegramTexts.inbox,
        );
      }
    }).catch((err: unknown) =>
      deps.logger.warn({ err: { message: (err as Error).message } }, 'An expired Telegram conversation was not kept'),
    );
  }
}
