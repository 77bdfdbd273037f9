// Later replies by Twilio's REST API (a webhook's own answer is TwiML, in twilio.routes.ts):
// POST /2010-04-01/Accounts/{AccountSid}/Messages.json with HTTP basic auth (the Account SID
// and Auth Token), a form with To, From or MessagingServiceSid, and Body.
import type { ReplyGateway } from './replies';

export interface TwilioConfig {
  authToken: string;
  /** Needed for the REST API (later replies) and for media an account protects with HTTP auth. */
  accountSid?: string;
  /** The sending number (E.164) … */
  fromNumber?: string;
  /** … or a Messaging Service, which picks the number (and handles STOP for all of them). */
  messagingServiceSid?: string;
  /** https://api.twilio.com unless told (a stand-in in tests, a regional edge). */
  apiBaseUrl: string;
}

/** Twilio answers within seconds; one that does not is down, and a reply is not worth a hang. */
const SEND_TIMEOUT_MS = 10_000;

export const basicAuth = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Basic auth for Twilio's own URLs (its API base, where protected media are), else nothing. */
export function twilioAuthorization(config: TwilioConfig, url: string): string | undefined {
  if (!config.accountSid) return undefined;
  try {
    if (new URL(url).origin !== new URL(config.apiBaseUrl).origin) return undefined;
  } catch {
    return undefined;
  }
  return basicAuth(config.accountSid, config.authToken);
}

/** A gateway for Replies when the REST API can be used (an Account SID and a sender). */
export function twilioReplies(config: TwilioConfig): ReplyGateway | undefined {
  const { accountSid } = config;
  if (!accountSid || !(config.fromNumber || config.messagingServiceSid)) return undefined;
  const url = `${config.apiBaseUrl}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`;
  return {
    gateway: 'twilio',
    async send(to, text) {
      const form = new URLSearchParams({ To: to, Body: text });
      if (config.messagingServiceSid) form.set('MessagingServiceSid', config.messagingServiceSid);
      else form.set('From', config.fromNumber!);
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          Authorization: basicAuth(accountSid, config.authToken),
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: form.toString(),
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
        redirect: 'error',
      });
      if (!res.ok) {
        // Twilio's error JSON names the number in its message (21610, 21211): keep only the code.
        const body = (await res.json().catch(() => ({}))) as { code?: unknown };
        const code = typeof body.code === 'number' ? ` (Twilio error ${body.code})` : '';
        throw new Error(`Twilio answered ${res.status}${code}`);
      }
      await res.body?.cancel();
    },
  };
}
