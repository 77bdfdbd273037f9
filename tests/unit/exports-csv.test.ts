// COPY's CSV ends records in LF; the export turns each record's end into CRLF and leaves the
// line breaks inside quoted text alone, however the bytes are cut into chunks.
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { CsvRecordEnds } from '../../server/features/exports/exports.framing';

const through = (chunks: string[]) => text(Readable.from(chunks.map((c) => Buffer.from(c))).pipe(new CsvRecordEnds()));

const COPY_OUTPUT = '1,plain,\n2,"two\nlines, ""quoted""\n",x\n3,"",\n4,"ü ends here\n"\n';
const EXPECTED = '1,plain,\r\n2,"two\nlines, ""quoted""\n",x\r\n3,"",\r\n4,"ü ends here\n"\r\n';

it('ends every record in CRLF and keeps quoted line breaks', async () => {
  expect(await through([COPY_OUTPUT])).toBe(EXPECTED);
});

it('gives the same bytes whatever the chunks, a quote or a multi-byte letter cut in two included', async () => {
  const bytes = Buffer.from(COPY_OUTPUT);
  for (let cut = 1; cut < bytes.length; cut++) {
    const out = await text(Readable.from([bytes.subarray(0, cut), bytes.subarray(cut)]).pipe(new CsvRecordEnds()));
    expect(out).toBe(EXPECTED);
  }
  expect(await through(COPY_OUTPUT.split(''))).toBe(EXPECTED);
});

it('keeps pace: 20 MB in well under a second', async () => {
  const row =
    '12345,13.4050000,52.5200000,steps,,barrier,new,3,no,,"A long description, with ""quotes""\nand a line break",,8,2,0,,2026-11-26T10:21:42.295Z\n';
  const chunk = Buffer.from(row.repeat(Math.ceil(65536 / row.length)));
  const chunks = Array.from({ length: Math.ceil((20 * 1024 * 1024) / chunk.length) }, () => chunk);
  const started = performance.now();
  let bytes = 0;
  for await (const out of Readable.from(chunks).pipe(new CsvRecordEnds())) bytes += (out as Buffer).length;
  const ms = performance.now() - started;
  process.stdout.write(`CsvRecordEnds: ${(bytes / 1024 / 1024).toFixed(1)} MB in ${ms.toFixed(0)} ms\n`);
  expect(ms).toBeLessThan(1000);
});
