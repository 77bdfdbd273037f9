// A small RFC 4180 reader for imported tables. Spreadsheets in Europe write `;` between
// fields and a byte-order mark in front, so both are handled; unlike the strict reader of the
// tests it forgives a bare LF (most tools write one) but still reports an unclosed quote.
// No CSV library is a dependency, and this is all an import needs.

export interface CsvTable {
  delimiter: ',' | ';' | '\t';
  /** Records in order, each with the file line it starts on (for messages about a row). */
  records: { line: number; cells: string[] }[];
}

export class CsvSyntaxError extends Error {}

/** The delimiter of the header line: the one of `,`, `;` or tab that occurs most outside quotes. */
export function sniffDelimiter(text: string): CsvTable['delimiter'] {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && c in counts) counts[c as keyof typeof counts]++;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[','] && counts['\t'] > counts[';']) return '\t';
  return ',';
}

export function parseCsv(input: string, delimiter = sniffDelimiter(stripBom(input))): CsvTable {
  const text = stripBom(input);
  const records: CsvTable['records'] = [];
  let cells: string[] = [];
  let field = '';
  let state: 'start' | 'plain' | 'quoted' | 'closed' = 'start';
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  const endField = () => {
    cells.push(field);
    field = '';
    state = 'start';
  };
  const endRecord = () => {
    endField();
    // A blank line is no record (a trailing newline, an empty line between blocks).
    if (!(cells.length === 1 && cells[0] === '')) records.push({ line: recordLine, cells });
    cells = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (state === 'quoted') {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else state = 'closed';
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === delimiter) endField();
    else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else if (c === '"' && state === 'start') {
      state = 'quoted';
      quoteLine = line;
    } else if (state === 'closed') {
      throw new CsvSyntaxError(`line ${line}: text after a closing quote`);
    } else {
      // A quote inside an unquoted field is kept as it is, as spreadsheets read it.
      field += c;
      state = 'plain';
    }
  }
  if (state === 'quoted') throw new CsvSyntaxError(`line ${quoteLine}: a quote is opened and never closed`);
  if (state !== 'start' || cells.length) endRecord();
  return { delimiter, records };
}

export const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
