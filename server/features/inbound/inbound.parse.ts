// What a text message says, read as a person would: a place (a geo: URI, "lat,lon" in
// decimal degrees, or a full plus code) and a category word in English, German or French (the
// taxonomy's labels and words, migrations/0014_channels.sql). A message with both becomes a
// report at once; any other waits in the inbox for a coordinator (docs/CHANNELS.md).
//
// Every pattern here is linear: the text is capped first, and `npm run check` lints the
// regular expressions against super-linear backtracking.
import { decodePlusCode } from './plus-code';

/** SMS concatenation ends near 1,600 characters; a Telegram message at 4,096. */
export const MAX_MESSAGE_CHARS = 4000;

export type Language = 'en' | 'de' | 'fr';

export interface Place {
  lat: number;
  lon: number;
  accuracyM?: number;
  /** How the place was written, for the inbox ("plus code", "geo URI", "coordinates"). */
  form: 'geo' | 'coordinates' | 'plus_code' | 'shared';
}

export interface CategoryWords {
  code: string;
  kind: 'barrier' | 'help';
  /** The labels, per language. */
  words: Record<Language, string[]>;
  /** The taxonomy's further words, in any of the languages. */
  other?: string[];
}

export interface ParsedMessage {
  place?: Place;
  category?: string;
  kind?: 'barrier' | 'help';
  /** The language of the words that matched (replies use it); English when none did. */
  language: Language;
  /** A command instead of a report. */
  command?: 'stop' | 'start';
}

const STOP_WORDS = new Set(['stop', 'stopp', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit', 'arret', 'arreter']);
const START_WORDS = new Set(['start', 'unstop', 'yes']);

/** Lower case, accents off, punctuation to spaces: "Übergang!" and "ubergang" meet. */
export function normalise(text: string): string {
  return ` ${text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()} `;
}

const inRange = (lat: number, lon: number) =>
  Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;

/** RFC 5870: geo:lat,lon[,alt][;u=uncertainty][;…]. */
const GEO_URI =
  /\bgeo:(-?\d{1,2}(?:\.\d{1,15})?),(-?\d{1,3}(?:\.\d{1,15})?)(?:,-?\d{1,6}(?:\.\d{1,6})?)?(?:;u=(\d{1,7}(?:\.\d{1,6})?))?/i;
/**
 * "52.52, 13.405": two decimal numbers with a comma and at least two decimals each, or
 * "52.5163 13.3777" (a space, ";" or "/") with at least three: "2, 3 people" is no place, and a
 * person who types a pair of decimals with a comma means a place (the SMS and the bot alike).
 */
const COORDINATES = /(?<![\d.])(-?\d{1,2}\.\d{2,15})\s{0,3},\s{0,3}(-?\d{1,3}\.\d{2,15})(?![\d.])/;
const SPACED_COORDINATES = /(?<![\d.])(-?\d{1,2}\.\d{3,15})\s{0,3}[;/ ]\s{0,3}(-?\d{1,3}\.\d{3,15})(?![\d.])/;
/** A full plus code: 8 digits (or padded with 0), "+", up to 7 more. */
const PLUS_CODE = /(?<![0-9A-Z])([2-9CFGHJMPQRVWX]{2}[02-9CFGHJMPQRVWX]{6}\+[2-9CFGHJMPQRVWX]{0,7})(?![0-9A-Z])/i;

export function findPlace(text: string): Place | undefined {
  const geo = GEO_URI.exec(text);
  if (geo) {
    const [lat, lon] = [Number(geo[1]), Number(geo[2])];
    if (inRange(lat, lon)) return { lat, lon, form: 'geo', ...(geo[3] ? { accuracyM: Number(geo[3]) } : {}) };
  }
  const plus = PLUS_CODE.exec(text);
  if (plus) {
    const area = decodePlusCode(plus[1]!);
    if (area) return { lat: area.lat, lon: area.lon, accuracyM: area.accuracyM, form: 'plus_code' };
  }
  const pair = COORDINATES.exec(text) ?? SPACED_COORDINATES.exec(text);
  if (pair) {
    const [lat, lon] = [Number(pair[1]), Number(pair[2])];
    if (inRange(lat, lon)) return { lat, lon, form: 'coordinates' };
  }
  return undefined;
}

/**
 * The category a message names. Help outranks barriers (a person in need is never filed as a
 * kerb), a named need the catch-all ("help! we need water" is water); then the first named wins ("steps at the entrance" is steps), and of phrases
 * that overlap the longest ("kerb ramp" over "kerb").
 */
export function findCategory(
  text: string,
  taxonomy: readonly CategoryWords[],
): { code: string; kind: 'barrier' | 'help'; language: Language } | undefined {
  const normal = normalise(text);
  let best:
    | { code: string; kind: 'barrier' | 'help'; language?: Language; length: number; at: number; rank: number }
    | undefined;
  for (const category of taxonomy) {
    const lists: [Language | undefined, string[]][] = [
      ['en', category.words.en],
      ['de', category.words.de],
      ['fr', category.words.fr],
      [undefined, category.other ?? []],
    ];
    for (const [language, words] of lists) {
      for (const word of words) {
        const phrase = normalise(word);
        if (phrase.trim().length < 2) continue;
        const at = normal.indexOf(phrase);
        if (at < 0) continue;
        const rank = rankOf(category);
        const overlaps = best && at < best.at + best.length && best.at < at + phrase.length;
        const better =
          !best || rank > best.rank || (rank === best.rank && (overlaps ? phrase.length > best.length : at < best.at));
        if (better) best = { code: category.code, kind: category.kind, language, length: phrase.length, at, rank };
      }
    }
  }
  return best && { code: best.code, kind: best.kind, language: best.language ?? guessLanguage(normal) };
}

const FUNCTION_WORDS: Record<Language, string[]> = {
  en: ['the', 'is', 'at', 'no', 'and', 'in', 'of', 'we', 'need', 'please', 'there', 'near'],
  de: ['der', 'die', 'das', 'ist', 'bei', 'kein', 'keine', 'und', 'wir', 'brauchen', 'bitte', 'nicht', 'am', 'im'],
  fr: ['le', 'la', 'les', 'est', 'pas', 'et', 'nous', 'besoin', 'il', 'de', 'du', 'au', 'pres', 'sil', 'vous'],
};

/** The language of a message by its commonest little words; English when nothing tells. */
export function guessLanguage(text: string): Language {
  const words = normalise(text).trim().split(' ');
  let best: Language = 'en';
  let most = 0;
  for (const language of ['en', 'de', 'fr'] as const) {
    const n = words.filter((w) => FUNCTION_WORDS[language].includes(w)).length;
    if (n > most) [best, most] = [language, n];
  }
  return best;
}

/** Help above barriers; within each, the catch-alls (help_other, other_barrier) last. */
const rankOf = (c: CategoryWords) => (c.kind === 'help' ? 2 : 0) + (c.code.includes('other') ? 0 : 1);

/** A message that is one of the reply commands, alone (carriers reserve STOP and START). */
function findCommand(text: string): 'stop' | 'start' | undefined {
  const word = normalise(text).trim();
  if (STOP_WORDS.has(word)) return 'stop';
  if (START_WORDS.has(word)) return 'start';
  return undefined;
}

export function parseMessage(text: string, taxonomy: readonly CategoryWords[]): ParsedMessage {
  const capped = text.slice(0, MAX_MESSAGE_CHARS);
  const command = findCommand(capped);
  if (command) return { command, language: command === 'stop' && /arr/i.test(capped) ? 'fr' : 'en' };
  const category = findCategory(capped, taxonomy);
  return {
    place: findPlace(capped),
    ...(category ? { category: category.code, kind: category.kind } : {}),
    language: category?.language ?? guessLanguage(capped),
  };
}
