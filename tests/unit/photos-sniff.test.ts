import sharp from 'sharp';
import { sniffPhotoFormat } from '../../server/features/photos/photos.pipeline';

const make = (format: 'jpeg' | 'png' | 'webp' | 'avif') =>
  sharp({ create: { width: 8, height: 8, channels: 3, background: '#123456' } })
    .toFormat(format)
    .toBuffer();

describe('sniffPhotoFormat decides by the bytes', () => {
  it.each([
    ['jpeg', 'jpeg'],
    ['png', 'png'],
    ['webp', 'webp'],
    ['avif', 'heif'],
  ] as const)('recognises %s', async (format, expected) => {
    expect(sniffPhotoFormat(await make(format))).toBe(expected);
  });

  it.each([
    ['text', Buffer.from('hello, this is not an image')],
    ['an empty file', Buffer.alloc(0)],
    ['SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')],
    ['GIF', Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1')],
    ['an MP4 video', Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypisom0000mp41')])],
  ])('refuses %s', (_name, bytes) => {
    expect(sniffPhotoFormat(bytes)).toBeUndefined();
  });
});
