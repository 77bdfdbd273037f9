// A real S3-compatible server for tests: s3rver speaks the S3 REST protocol (path-style, signed
// requests checked) on a free loopback port, keeping its objects in a temporary directory.
import fs from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { S3Settings } from '../../server/features/photos/photos.storage';

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverClass = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string; configs: string[] }[];
}) => S3rverInstance;

export interface TestS3Server {
  /** Settings for a store on the bucket, as server/config.ts would give them. */
  settings: S3Settings;
  /** Where the server keeps objects: `<dir>/<bucket>/<key>._S3rver_object` and metadata beside. */
  directory: string;
  /** Sets an object's LastModified, as time passing would (s3rver reads it from the file's mtime). */
  setLastModified(key: string, when: Date): Promise<void>;
  close(): Promise<void>;
}

export async function startS3Server(bucket = 'wegfrei-photos'): Promise<TestS3Server> {
  // s3rver ships no types; its constructor is described above.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const S3rver = require('s3rver') as S3rverClass;
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'wegfrei-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = await server.run();
  return {
    settings: {
      endpoint: `http://127.0.0.1:${port}`,
      bucket,
      region: 'us-east-1',
      // s3rver's fixed credentials: it checks every request's signature against them.
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
    },
    directory,
    async setLastModified(key, when) {
      const parts = key.split('/');
      const file = path.join(directory, bucket, ...parts.slice(0, -1), `${parts.at(-1)}._S3rver_object`);
      await fs.utimes(file, when, when);
    },
    async close() {
      await server.close();
      await fs.rm(directory, { recursive: true, force: true });
    },
  };
}
