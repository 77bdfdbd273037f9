// GET /api/v1/events on a real socket, for API tests of the live stream: what it sent, as sent
// and as events.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StaffAgent } from './staff';

export interface LiveStream {
  /** Everything the stream sent, as sent. */
  raw: () => string;
  events: () => { id: number | undefined; event: string; data: { id?: number } }[];
  waitFor: (check: () => boolean) => Promise<void>;
  close: () => void;
}

const openStreams = new Set<LiveStream>();

/** Closes the streams still open: a test that failed before closing its own must not keep Jest running. */
export function closeStreams(): void {
  for (const stream of openStreams) stream.close();
}

/** Opens GET /api/v1/events on a real socket and keeps what it sends. */
export async function openLiveStream(
  app: http.RequestListener,
  who: Pick<StaffAgent, 'cookie'>,
  lastEventId?: number,
): Promise<LiveStream> {
  const server = http.createServer(app).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  let raw = '';
  const req = http.get(
    {
      host: '127.0.0.1',
      port: (server.address() as AddressInfo).port,
      path: '/api/v1/events',
      headers: { Cookie: who.cookie, ...(lastEventId === undefined ? {} : { 'Last-Event-ID': String(lastEventId) }) },
    },
    (res) => {
      expect(res.statusCode).toBe(200);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (raw += chunk));
    },
  );
  // Only whole frames: the last block may be a frame still arriving, cut mid-line.
  const events = () =>
    raw
      .split('\n\n')
      .slice(0, -1)
      .map((block) =>
        Object.fromEntries(block.split('\n').map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)])),
      )
      .filter((f: Record<string, string>) => f.data !== undefined)
      .map((f: Record<string, string>) => ({
        id: f.id === undefined ? undefined : Number(f.id),
        event: f.event!,
        data: JSON.parse(f.data!) as { id?: number },
      }));
  const stream: LiveStream = {
    raw: () => raw,
    events,
    waitFor: async (check) => {
      for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(check()).toBe(true);
    },
    close: () => {
      openStreams.delete(stream);
      req.destroy();
      server.closeAllConnections();
      server.close();
    },
  };
  openStreams.add(stream);
  return stream;
}
