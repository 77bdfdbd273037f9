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

/** `fd` 2 sends the log to stderr, for commands whose stdout is their output. */
export function createLogger(level: string, fd: 1 | 2 = 1): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' } }, pino.destination({ fd, sync: false }));
}
