// How guessable a new password is, by zxcvbn-ts against its lists of common passwords (the
// offline stand-in for lists of breached ones: the server may have no network, so there is no
// "pwned passwords" lookup), English words, names, keyboard patterns, dates and repeats, and
// the account's own email and name.
//
// zxcvbn runs in a worker thread of its own: its dictionaries take ~0.6 s and ~65 MB to load,
// and one check of a password full of digits and symbols takes up to a second (its l33t
// matcher tries every substitution). Neither may hold up the event loop, and neither is paid
// at start-up: the worker starts at the first check and ends after a minute without one.
import { Worker } from 'node:worker_threads';
import { AppError } from '../../http/errors';

/** zxcvbn's score 3: "safely unguessable", about 10^8 guesses or more. */
export const MIN_PASSWORD_SCORE = 3;
/** Only this much of a password is judged; a password weak in its first 100 characters is weak. */
const JUDGED_LENGTH = 100;
const IDLE_MS = 60_000;
/** A check stuck this long is a broken worker, not a slow password. */
const CHECK_TIMEOUT_MS = 20_000;

export interface Strength {
  score: number;
  warning: string;
  suggestions: string[];
}

// Plain JavaScript: the worker runs outside any TypeScript loader (tsx, jest).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { ZxcvbnFactory } = require(workerData.core);
const common = require(workerData.common);
const en = require(workerData.en);
const zxcvbn = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...en.dictionary },
  graphs: common.adjacencyGraphs,
  translations: en.translations,
  maxLength: workerData.maxLength,
});
parentPort.on('message', ({ id, password, userInputs }) => {
  const { score, feedback } = zxcvbn.check(password, userInputs);
  parentPort.postMessage({ id, score, warning: feedback.warning || '', suggestions: feedback.suggestions });
});
`;

interface Pending {
  resolve(strength: Strength): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

interface Checker {
  worker: Worker;
  pending: Map<number, Pending>;
  idle?: NodeJS.Timeout;
}

let checker: Checker | undefined;
let nextId = 0;

function stop(c: Checker, err: Error): void {
  if (checker === c) checker = undefined;
  clearTimeout(c.idle);
  for (const p of c.pending.values()) {
    clearTimeout(p.timer);
    p.reject(err);
  }
  c.pending.clear();
  void c.worker.terminate();
}

function start(): Checker {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      core: require.resolve('@zxcvbn-ts/core'),
      common: require.resolve('@zxcvbn-ts/language-common'),
      en: require.resolve('@zxcvbn-ts/language-en'),
      maxLength: JUDGED_LENGTH,
    },
  });
  const c: Checker = { worker, pending: new Map() };
  worker.on('message', (msg: Strength & { id: number }) => {
    const p = c.pending.get(msg.id);
    if (!p) return;
    c.pending.delete(msg.id);
    clearTimeout(p.timer);
    p.resolve({ score: msg.score, warning: msg.warning, suggestions: msg.suggestions });
    if (c.pending.size === 0) {
      // Idle: the process may exit without waiting for it, and it ends itself after a while.
      worker.unref();
      c.idle = setTimeout(() => stop(c, new Error('password checker stopped')), IDLE_MS).unref();
    }
  });
  worker.on('error', (err) => stop(c, err));
  worker.on('exit', () => stop(c, new Error('password checker stopped')));
  return c;
}

/** zxcvbn's verdict on `password`, with `userInputs` (email, name…) counted as easy guesses. */
export function passwordStrength(password: string, userInputs: string[]): Promise<Strength> {
  const c = (checker ??= start());
  clearTimeout(c.idle);
  c.worker.ref();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => stop(c, AppError.unavailable()), CHECK_TIMEOUT_MS);
    c.pending.set(id, { resolve, reject, timer });
    c.worker.postMessage({ id, password, userInputs });
  });
}

/** The words of an email and a name, and the product's own name: what a guesser tries first. */
export function userInputsOf(person: { email?: string; name?: string }): string[] {
  const parts = [person.email, person.name].flatMap((s) => (s ? [s, ...s.split(/[^\p{L}\p{N}]+/u)] : []));
  return [...new Set(['wegfrei', ...parts.map((p) => p.toLowerCase()).filter((p) => p.length >= 3)])];
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** A field detail (a predicate, as every field detail is) saying why and what would help. */
export function weakPasswordDetail(s: Strength): string {
  const why = s.warning ? `: ${lowerFirst(s.warning)}` : '.';
  const advice = s.suggestions.length ? s.suggestions.join(' ') : 'Add another word or two; uncommon words are better.';
  return `is too easy to guess${why} ${advice}`;
}
