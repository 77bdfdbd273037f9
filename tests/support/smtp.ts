// A real SMTP server for tests (smtp-server + mailparser) on 127.0.0.1 and a random port, no TLS:
// what the app sends is parsed as a mail client would read it.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface TestSmtpServer {
  /** smtp://127.0.0.1:PORT, for SMTP_URL / createMailer. */
  url: string;
  /** Every message received so far, in order. */
  messages: ParsedMail[];
  /** The first message (already received or still to come) that matches and was not taken by an earlier next(). */
  next(match?: (m: ParsedMail) => boolean, timeoutMs?: number): Promise<ParsedMail>;
  close(): Promise<void>;
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: ParsedMail[] = [];
  const taken = new Set<ParsedMail>();
  const waiters: { match: (m: ParsedMail) => boolean; resolve: (m: ParsedMail) => void }[] = [];

  const deliver = (mail: ParsedMail) => {
    messages.push(mail);
    const i = waiters.findIndex((w) => w.match(mail));
    if (i >= 0) {
      taken.add(mail);
      waiters.splice(i, 1)[0]!.resolve(mail);
    }
  };

  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    // Any user and password is fine: a test that sets them checks they are sent, not checked.
    onAuth: (_auth, _session, callback) => callback(null, { user: 'test' }),
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          deliver(mail);
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    next(match = () => true, timeoutMs = 10_000) {
      const ready = messages.find((m) => !taken.has(m) && match(m));
      if (ready) {
        taken.add(ready);
        return Promise.resolve(ready);
      }
      return new Promise<ParsedMail>((resolve, reject) => {
        const waiter = {
          match,
          resolve: (m: ParsedMail) => {
            clearTimeout(timer);
            resolve(m);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no matching mail within ${timeoutMs} ms (${messages.length} received)`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
