// Outgoing e-mail (follow confirmations and updates, volunteer invitations) through one SMTP
// relay. Addresses are private data: they never reach a log line, only the message's outcome.
import nodemailer from 'nodemailer';
import type { Logger } from '../logger';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  /** False without SMTP_URL: callers say "e-mail is not set up" instead of queueing mail nobody sends. */
  readonly enabled: boolean;
  /** Resolves once the relay accepted the message; rejects on refusal or timeout (callers retry). */
  send(m: MailMessage): Promise<void>;
}

export interface MailerOptions {
  smtpUrl: string | undefined;
  mailFrom: string;
  logger: Logger;
  /** Connection, greeting and socket deadlines (ms): a relay that hangs must not hold a sender. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 20_000;

export function createMailer(options: MailerOptions): Mailer {
  const { smtpUrl, mailFrom, logger } = options;
  if (!smtpUrl) {
    return {
      enabled: false,
      send: () => Promise.reject(new Error('e-mail is not configured (SMTP_URL is unset)')),
    };
  }
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    enabled: true,
    async send(m) {
      const info = (await transport.sendMail({
        from: mailFrom,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        headers: m.headers,
      })) as { messageId?: string };
      // The message id alone: the address is private and the subject may name a report.
      logger.debug({ messageId: info.messageId }, 'mail sent');
    },
  };
}
