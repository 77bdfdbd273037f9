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

  it('names every bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', HELP_GRID_M: '5', LOG_LEVEL: 'loud' })).toThrow(
      /PORT.*HELP_GRID_M.*LOG_LEVEL|PORT/,
    );
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ HELP_GRID_M: '5' })).toThrow(/HELP_GRID_M/);
  });
});
