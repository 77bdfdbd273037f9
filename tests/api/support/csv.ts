// Exports read back as a client reads them: the whole body as text, CSV split into records.
import type request from 'supertest';

export const text = (r: request.Request) =>
  r.buffer(true).parse((res, cb) => {
    let data = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => (data += c));
    res.on('end', () => cb(null, data));
  });

/**
 * RFC 4180, strictly: quoted fields may hold commas, quotes, CR and LF; every record, the last
 * one included, ends in CRLF. A bare LF or CR outside quotes, a quote inside an unquoted field,
 * text after a closing quote or an unclosed quote throws, naming the record.
 */
export function parseCsv(body: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  /** Where the field is: not begun, unquoted, inside quotes, or after its closing quote. */
  let state: 'start' | 'plain' | 'quoted' | 'closed' = 'start';
  const fail = (what: string, at: number) => {
    throw new Error(`CSV record ${rows.length + 1}: ${what} at character ${at}`);
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (state === 'quoted') {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') state = 'closed';
      else field += c;
    } else if (c === '"') {
      if (state !== 'start') fail('a quote inside an unquoted field or after a closing quote', i);
      state = 'quoted';
    } else if (c === ',') {
      row.push(field);
      field = '';
      state = 'start';
    } else if (c === '\r' && body[i + 1] === '\n') {
      i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      state = 'start';
    } else if (c === '\n' || c === '\r') {
      fail(c === '\n' ? 'a line feed without a carriage return' : 'a carriage return without a line feed', i);
    } else {
      if (state === 'closed') fail('text after a closing quote', i);
      field += c;
      state = 'plain';
    }
  }
  if (state === 'quoted') fail('an unclosed quote', body.length);
  if (field !== '' || row.length || state === 'closed') fail('a last record without CRLF', body.length);
  return rows;
}
