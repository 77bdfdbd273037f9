import pino from 'pino';

export type Logger = pino.Logger;

/** Contact details and cookies never reach a log line (DESIGN.md, Privacy). */
const REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  'contact',
  '*.contact',
  'body.contact',
];

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' } });
}
