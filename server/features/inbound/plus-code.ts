// Open Location Codes ("plus codes", https://github.com/google/open-location-code, the
// specification's decoding): a person without a map app reads one off Google Maps or a printed
// sign and types it into an SMS. Only full codes name a place on their own; a short code
// ("GC2M+7V Zürich") needs a town we would have to geocode, so such a message goes to the inbox.
const ALPHABET = '23456789CFGHJMPQRVWX';
const PAIR_RESOLUTIONS = [20, 1, 0.05, 0.0025, 0.000125];
const GRID_ROWS = 5;
const GRID_COLUMNS = 4;
const SEPARATOR_POSITION = 8;
/** The specification's longest meaningful code: 15 digits. */
const MAX_DIGITS = 15;

export interface CodeArea {
  lat: number;
  lon: number;
  /** Half the height of the code's area in metres: how exact the place is. */
  accuracyM: number;
}

/** Whether `code` is a full code (8 digits or padded, "+", up to 7 more), case-insensitive. */
export function isFullCode(code: string): boolean {
  const c = code.toUpperCase();
  if (c.length > MAX_DIGITS + 1 || c.indexOf('+') !== SEPARATOR_POSITION || c.lastIndexOf('+') !== SEPARATOR_POSITION)
    return false;
  const before = c.slice(0, SEPARATOR_POSITION);
  const after = c.slice(SEPARATOR_POSITION + 1);
  const padding = before.indexOf('0');
  if (padding >= 0) {
    // Padded codes ("8FVC0000+") stop at a pair boundary and have nothing after the "+".
    if (padding === 0 || padding % 2 !== 0 || !/^0+$/.test(before.slice(padding)) || after.length) return false;
  } else if (after.length === 1) {
    return false;
  }
  const digits = (padding >= 0 ? before.slice(0, padding) : before) + after;
  if (![...digits].every((d) => ALPHABET.includes(d))) return false;
  // The first latitude digit is at most 8 (< 180°), the first longitude digit at most R (< 360°).
  return ALPHABET.indexOf(c[0]!) < 9 && ALPHABET.indexOf(c[1]!) < 18;
}

/** The centre of a full code's area, or undefined when `code` is not a full code. */
export function decodePlusCode(code: string): CodeArea | undefined {
  if (!isFullCode(code)) return undefined;
  const plain = code.toUpperCase().replace('+', '');
  const padding = plain.indexOf('0');
  const digits = (padding >= 0 ? plain.slice(0, padding) : plain).slice(0, MAX_DIGITS);
  let south = -90;
  let west = -180;
  let height = 0;
  let width = 0;
  for (let i = 0; i < Math.min(digits.length, 10); i += 2) {
    const resolution = PAIR_RESOLUTIONS[i / 2]!;
    south += ALPHABET.indexOf(digits[i]!) * resolution;
    west += ALPHABET.indexOf(digits[i + 1] ?? '2') * resolution;
    height = width = resolution;
  }
  for (const digit of digits.slice(10)) {
    height /= GRID_ROWS;
    width /= GRID_COLUMNS;
    const value = ALPHABET.indexOf(digit);
    south += Math.floor(value / GRID_COLUMNS) * height;
    west += (value % GRID_COLUMNS) * width;
  }
  return {
    lat: Math.min(south + height / 2, 90),
    lon: west + width / 2 >= 180 ? west + width / 2 - 360 : west + width / 2,
    accuracyM: Math.round((height / 2) * 111_320),
  };
}
