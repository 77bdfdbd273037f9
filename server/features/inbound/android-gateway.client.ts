// Replies through SMS Gateway for Android (github.com/capcom6/android-sms-gateway): its webhook
// has no in-band answer, so every reply is a call to its send API with HTTP basic auth and
// `{"textMessage": {"text"}, "phoneNumbers": [...]}` — on the phone itself in local mode
// (http://PHONE:8080/message) or through its cloud or private server (…/3rdparty/v1/messages).
import type { ReplyGateway } from './replies';
import { basicAuth } from './twilio.client';

export interface AndroidSmsConfig {
  /** Settings → Webhooks → Signing Key in the app: X-Signature is HMAC-SHA256 with it. */
  signingKey: string;
  /** The send endpoint, whole: http://PHONE:8080/message, or https://api.sms-gate.app/3rdparty/v1/messages. */
  apiUrl?: string;
  username?: string;
  password?: string;
}

/** A phone on a shelter's Wi-Fi can be slow; one that does not answer in this time is away. */
const SEND_TIMEOUT_MS = 15_000;

/** Messages past their time are not sent at all: a reply a day late confuses more than it helps. */
const REPLY_TTL_S = 6 * 3600;

export function androidReplies(config: AndroidSmsConfig): ReplyGateway | undefined {
  const { apiUrl, username, password } = config;
  if (!apiUrl || !username || !password) return undefined;
  return {
    gateway: 'android',
    async send(to, text) {
      const res = await fetch(apiUrl, {
        method: 'POST',
        headers: {
          Authorization: basicAuth(username, password),
          'Content-Type': 'application/json',
          Accept: 'application/json',
        },
        body: JSON.stringify({ textMessage: { text }, phoneNumbers: [to], ttl: REPLY_TTL_S }),
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
        redirect: 'error',
      });
      // The gateway's error body may repeat the number: the status says enough.
      await res.body?.cancel();
      if (!res.ok) throw new Error(`The Android SMS gateway answered ${res.status}`);
    },
  };
}
