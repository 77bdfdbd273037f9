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

  it('has generous per-client limits by default, each configurable and 0 for off', () => {
    expect(loadConfig({})).toMatchObject({
      reportRateLimit: 120,
      reportRateWindowS: 600,
      exportRateLimit: 60,
      exportRateWindowS: 600,
      exportConcurrentMax: 2,
      loginRateLimit: 50,
    });
    const config = loadConfig({
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
    });
    expect(() => loadConfig({ REPORT_RATE_LIMIT: '-1' })).toThrow(/REPORT_RATE_LIMIT/);
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
});
