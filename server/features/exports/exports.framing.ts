// What turns the lines the database sends into an export's records: JSON lines joined into a
// FeatureCollection or a text sequence, CSV records ended in CRLF, and the brackets around them.
import { Transform, type TransformCallback } from 'node:stream';

/** Splits a byte stream into lines and re-joins them as `prefix + line + suffix`, with separators between. */
export class LineFraming extends Transform {
  private rest = '';
  private first = true;
  constructor(private readonly frame: { before: string; between: string; after: string }) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const lines = (this.rest + chunk.toString('utf8')).split('\n');
    this.rest = lines.pop()!;
    let out = '';
    for (const line of lines) {
      out += (this.first ? '' : this.frame.between) + this.frame.before + line + this.frame.after;
      this.first = false;
    }
    done(null, out);
  }
  override _flush(done: TransformCallback): void {
    done(
      null,
      this.rest ? (this.first ? '' : this.frame.between) + this.frame.before + this.rest + this.frame.after : '',
    );
  }
}

/**
 * COPY ends CSV records in LF; RFC 4180 says CRLF. A line feed outside quotes ends a record and
 * becomes CRLF; one inside a quoted field is the text's own and stays. COPY quotes every value
 * holding a quote, CR or LF, so counting quotes is enough to know where we are (a doubled quote
 * toggles twice), and the state carries across chunks and across the pages of an export.
 */
export class CsvRecordEnds extends Transform {
  private quoted = false;
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const parts: Buffer[] = [];
    let from = 0;
    // Jumps from quote to quote and line feed to line feed (indexOf is native); -2: not looked for yet.
    let quote = -2;
    let newline = -2;
    for (let i = 0; i < chunk.length;) {
      if (quote !== -1 && quote < i) quote = chunk.indexOf(0x22, i);
      if (this.quoted) {
        if (quote === -1) break;
        this.quoted = false;
        i = quote + 1;
        continue;
      }
      if (newline !== -1 && newline < i) newline = chunk.indexOf(0x0a, i);
      if (newline !== -1 && (quote === -1 || newline < quote)) {
        parts.push(chunk.subarray(from, newline), CRLF);
        from = i = newline + 1;
      } else if (quote !== -1) {
        this.quoted = true;
        i = quote + 1;
      } else break;
    }
    parts.push(chunk.subarray(from));
    done(null, Buffer.concat(parts));
  }
}
const CRLF = Buffer.from('\r\n');

/** The export's opening (GeoJSON's header object) and closing brackets around its lines. */
export class Envelope extends Transform {
  constructor(private readonly frame: { head: string; trailer: string }) {
    super();
    if (frame.head) this.push(frame.head);
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    done(null, chunk);
  }
  override _flush(done: TransformCallback): void {
    done(null, this.frame.trailer);
  }
}
