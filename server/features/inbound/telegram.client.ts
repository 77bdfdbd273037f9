// Calls to Telegram's Bot API (core.telegram.org/bots/api): the few methods the bot uses and
// the download of a photo. The token is part of every URL (/bot<token>/<method>), so no URL
// of these calls, and no chat id, ever reaches a log line or an error message: errors name the
// method and what went wrong only. Every call has a deadline and a bound on what it reads, so
// a stalled or flooding upstream costs a webhook seconds, never the process its memory.

/** JSON answers of the methods we call are small; a megabyte is plenty. */
const MAX_ANSWER_BYTES = 1024 * 1024;

export interface TelegramClientOptions {
  token: string;
  /** https://api.telegram.org, or a local Bot API server / a test's stand-in. */
  baseUrl: string;
  /** Deadline of one method call (ms). */
  callTimeoutMs?: number;
  /** Deadline of one photo download, headers to last byte (ms). */
  downloadTimeoutMs?: number;
}

/** What failed, safe to log: the method and a reason, never a URL, token or chat id. */
export class TelegramError extends Error {
  constructor(
    readonly method: string,
    readonly reason: string,
  ) {
    super(`Telegram ${method}: ${reason}`);
    this.name = 'TelegramError';
  }
}

export interface InlineButton {
  text: string;
  callback_data: string;
}

export interface TelegramFile {
  file_id: string;
  file_size?: number;
  file_path?: string;
}

/** A reason without the URL: fetch's errors may carry it in their cause. */
function reasonOf(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: unknown } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timed out';
  if (typeof e.cause?.code === 'string' && /^[A-Z_]{2,40}$/.test(e.cause.code)) return e.cause.code;
  return 'request failed';
}

/** Reads a body to its end, refusing it (and cancelling the transfer) beyond maxBytes. */
async function readBounded(res: Response, maxBytes: number): Promise<Buffer | undefined> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    return undefined;
  }
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export class TelegramClient {
  private readonly base: string;
  private readonly callTimeoutMs: number;
  private readonly downloadTimeoutMs: number;

  constructor(private readonly opts: TelegramClientOptions) {
    // config.ts drops trailing slashes; a test's stand-in has none.
    this.base = opts.baseUrl.endsWith('/') ? opts.baseUrl.slice(0, -1) : opts.baseUrl;
    this.callTimeoutMs = opts.callTimeoutMs ?? 10_000;
    this.downloadTimeoutMs = opts.downloadTimeoutMs ?? 20_000;
  }

  /** One Bot API method: POST JSON, answer `{ ok: true, result }`. */
  async call<T>(method: string, params: Record<string, unknown>): Promise<T> {
    let body: Buffer | undefined;
    let status: number;
    try {
      const res = await fetch(`${this.base}/bot${this.opts.token}/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(params),
        signal: AbortSignal.timeout(this.callTimeoutMs),
        redirect: 'error',
      });
      status = res.status;
      body = await readBounded(res, MAX_ANSWER_BYTES);
    } catch (err) {
      throw new TelegramError(method, reasonOf(err));
    }
    if (!body) throw new TelegramError(method, 'answer too large');
    let answer: { ok?: unknown; result?: unknown; error_code?: unknown };
    try {
      answer = JSON.parse(body.toString('utf8')) as typeof answer;
    } catch {
      throw new TelegramError(method, `HTTP ${status}, not JSON`);
    }
    if (answer?.ok !== true) {
      // Telegram's description may quote what was sent (a chat id): only the code is kept.
      const code = typeof answer?.error_code === 'number' ? answer.error_code : status;
      throw new TelegramError(method, `error ${code}`);
    }
    return answer.result as T;
  }

  async sendMessage(chatId: string, text: string, buttons?: InlineButton[][]): Promise<void> {
    await this.call('sendMessage', {
      chat_id: chatId,
      text: text.slice(0, 4096),
      link_preview_options: { is_disabled: true },
      ...(buttons ? { reply_markup: { inline_keyboard: buttons } } : {}),
    });
  }

  async answerCallbackQuery(id: string, text?: string): Promise<void> {
    await this.call('answerCallbackQuery', { callback_query_id: id, ...(text ? { text: text.slice(0, 200) } : {}) });
  }

  async getFile(fileId: string): Promise<TelegramFile> {
    const file = await this.call<TelegramFile>('getFile', { file_id: fileId });
    if (!file || typeof file !== 'object') throw new TelegramError('getFile', 'no file in the answer');
    return file;
  }

  /**
   * The bytes of a file getFile named, or undefined when it is larger than maxBytes (said or
   * found while reading). Slower than the download deadline is an error.
   */
  async download(filePath: string, maxBytes: number): Promise<Buffer | undefined> {
    // getFile's path is Telegram's word; ours to check before it goes into a URL.
    if (!/^[A-Za-z0-9_][A-Za-z0-9_./-]{0,254}$/.test(filePath) || filePath.includes('..')) {
      throw new TelegramError('download', 'file path refused');
    }
    const signal = AbortSignal.timeout(this.downloadTimeoutMs);
    try {
      const res = await fetch(`${this.base}/file/bot${this.opts.token}/${filePath}`, { signal, redirect: 'error' });
      if (res.status !== 200) {
        await res.body?.cancel().catch(() => undefined);
        throw new TelegramError('download', `HTTP ${res.status}`);
      }
      return await readBounded(res, maxBytes);
    } catch (err) {
      if (err instanceof TelegramError) throw err;
      throw new TelegramError('download', reasonOf(err));
    }
  }

  /** Points Telegram at our webhook, with the secret it will send back in every call. */
  async setWebhook(url: string, secretToken: string): Promise<void> {
    await this.call('setWebhook', {
      url,
      secret_token: secretToken,
      allowed_updates: ['message', 'callback_query'],
      drop_pending_updates: false,
    });
  }
}
