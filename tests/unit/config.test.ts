import path from 'node:path';
import { loadConfig } from '../../server/config';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      dataDir: path.resolve('./data'),
      tileUrl: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
      helpGridM: 500,
      logLevel: 'info',
    });
    expect(config.tileAttribution).toContain('OpenStreetMap');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('treats an empty DATABASE_URL as unset and trims PUBLIC_URL', () => {
    const config = loadConfig({ DATABASE_URL: '', PUBLIC_URL: 'https://map.example.org/' });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.publicUrl).toBe('https://map.example.org');
  });

  it('takes DATABASE_READ_URL only with DATABASE_URL (the primary it replicates)', () => {
    expect(() => loadConfig({ DATABASE_READ_URL: 'postgres://r@replica/db' })).toThrow(/DATABASE_READ_URL/);
    const config = loadConfig({
      DATABASE_URL: 'postgres://p@primary/db',
      DATABASE_READ_URL: 'postgres://r@replica/db',
    });
    expect(config.databaseReadUrl).toBe('postgres://r@replica/db');
  });

  it('forks WEB_CONCURRENCY workers only over PostgreSQL: the embedded database is one process', () => {
    expect(loadConfig({}).webConcurrency).toBe(1);
    expect(() => loadConfig({ WEB_CONCURRENCY: '2' })).toThrow(/WEB_CONCURRENCY: more than 1 needs DATABASE_URL/);
    expect(loadConfig({ WEB_CONCURRENCY: '4', DATABASE_URL: 'postgres://p@primary/db' }).webConcurrency).toBe(4);
  });

  it('has generous per-client limits by default, each configurable and 0 for off', () => {
    expect(loadConfig({})).toMatchObject({
      reportRateLimit: 120,
      reportRateWindowS: 600,
      exportRateLimit: 60,
      exportRateWindowS: 600,
      exportConcurrentMax: 2,
      loginRateLimit: 50,
      requestRateLimit: 100,
      requestBurst: 100,
    });
    const config = loadConfig({
      REQUEST_RATE_LIMIT: '0',
      REQUEST_BURST: '50',
      REPORT_RATE_LIMIT: '0',
      REPORT_RATE_WINDOW_S: '60',
      EXPORT_RATE_LIMIT: '10',
      EXPORT_RATE_WINDOW_S: '3600',
      EXPORT_CONCURRENT_MAX: '0',
      LOGIN_RATE_LIMIT: '20',
    });
    expect(config).toMatchObject({
      reportRateLimit: 0,
      reportRateWindowS: 60,
      exportRateLimit: 10,
      exportRateWindowS: 3600,
      exportConcurrentMax: 0,
      loginRateLimit: 20,
      requestRateLimit: 0,
      requestBurst: 50,
    });
    expect(() => loadConfig({ REPORT_RATE_LIMIT: '-1' })).toThrow(/REPORT_RATE_LIMIT/);
    expect(() => loadConfig({ REQUEST_BURST: '0' })).toThrow(/REQUEST_BURST/);
    expect(() => loadConfig({ REPORT_RATE_WINDOW_S: '0' })).toThrow(/REPORT_RATE_WINDOW_S/);
    expect(() => loadConfig({ EXPORT_CONCURRENT_MAX: 'two' })).toThrow(/EXPORT_CONCURRENT_MAX/);
  });

  it('names every bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', HELP_GRID_M: '5', LOG_LEVEL: 'loud' })).toThrow(
      /PORT.*HELP_GRID_M.*LOG_LEVEL|PORT/,
    );
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ HELP_GRID_M: '5' })).toThrow(/HELP_GRID_M/);
  });

  it('requires PUBLIC_URL when NODE_ENV=production, so that links never follow a forged Host', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/PUBLIC_URL: is required when NODE_ENV=production/);
    expect(() => loadConfig({ NODE_ENV: 'production', PUBLIC_URL: '' })).toThrow(/PUBLIC_URL/);
    expect(loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://map.example.org' }).publicUrl).toBe(
      'https://map.example.org',
    );
    expect(loadConfig({ NODE_ENV: 'development' }).publicUrl).toBeUndefined();
  });

  it('takes only an http(s) PUBLIC_URL without query or fragment', () => {
    expect(() => loadConfig({ PUBLIC_URL: 'javascript:alert(1)' })).toThrow(/PUBLIC_URL/);
    expect(() => loadConfig({ PUBLIC_URL: 'https://map.example.org/?x=1' })).toThrow(/PUBLIC_URL/);
    expect(loadConfig({ PUBLIC_URL: 'http://192.168.1.20:3000/wegfrei/' }).publicUrl).toBe(
      'http://192.168.1.20:3000/wegfrei',
    );
  });

  it('reads ALLOWED_HOSTS as host[:port] entries in lower case, and names a bad one', () => {
    expect(loadConfig({}).allowedHosts).toEqual([]);
    expect(loadConfig({ ALLOWED_HOSTS: ' Map.Example.org , 192.168.1.20:3000,[::1]:3000,' }).allowedHosts).toEqual([
      'map.example.org',
      '192.168.1.20:3000',
      '[::1]:3000',
    ]);
    expect(() => loadConfig({ ALLOWED_HOSTS: 'map.example.org,evil.example/x' })).toThrow(
      /ALLOWED_HOSTS: evil\.example\/x is not a host\[:port\]/,
    );
    expect(() => loadConfig({ ALLOWED_HOSTS: 'map.example.org:0' })).toThrow(/ALLOWED_HOSTS/);
  });

  it('reads the mail relay and web push keys (docs/FOLLOW.md), both keys or neither', () => {
    const none = loadConfig({});
    expect([none.smtpUrl, none.vapid, none.pushAllowPrivate]).toEqual([undefined, undefined, false]);
    expect(none.mailFrom).toBe('Wegfrei <wegfrei@localhost>');
    const set = loadConfig({
      SMTP_URL: 'smtps://user:pw@mail.example.org:465',
      MAIL_FROM: 'Wegfrei <noreply@map.example.org>',
      VAPID_PUBLIC_KEY: 'BPub',
      VAPID_PRIVATE_KEY: 'priv',
    });
    expect([set.smtpUrl, set.mailFrom, set.vapid]).toEqual([
      'smtps://user:pw@mail.example.org:465',
      'Wegfrei <noreply@map.example.org>',
      { publicKey: 'BPub', privateKey: 'priv' },
    ]);
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example.org' })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ VAPID_PUBLIC_KEY: 'BPub' })).toThrow(
      /VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY: set both or neither/,
    );
  });
});
