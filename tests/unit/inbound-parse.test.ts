import { findCategory, findPlace, parseMessage, type CategoryWords } from '../../server/features/inbound/inbound.parse';
import { decodePlusCode, isFullCode } from '../../server/features/inbound/plus-code';

// The specification's own decoding cases (open-location-code/test_data/decoding.csv).
describe('plus codes', () => {
  it.each([
    ['7FG49Q00+', 20.375, 2.775],
    ['7FG49QCJ+2V', 20.3700625, 2.7821875],
    ['7FG49QCJ+2VX', 20.3701125, 2.782234375],
    ['8FVC9G8F+6X', 47.3655625, 8.5249375],
    ['CFX30000+', 89.5, 1.5],
  ])('decodes %s to its centre', (code, lat, lon) => {
    const area = decodePlusCode(code)!;
    expect(area.lat).toBeCloseTo(lat, 7);
    expect(area.lon).toBeCloseTo(lon, 7);
  });

  it.each(['GC2M+7V', '8FVC9G8F+6', '8FVC0G8F+6X', 'WFVC9G8F+6X', '8FVC9G8F+6X+', '7FG49Q00+2V', '8F0C0000+'])(
    'refuses %s (short, malformed or out of range)',
    (code) => {
      expect(isFullCode(code)).toBe(false);
      expect(decodePlusCode(code)).toBeUndefined();
    },
  );
});

const TAXONOMY: CategoryWords[] = [
  { code: 'steps', kind: 'barrier', words: { en: ['steps', 'stairs'], de: ['stufen', 'treppe'], fr: ['marches'] } },
  { code: 'kerb_missing', kind: 'barrier', words: { en: ['kerb'], de: ['bordstein'], fr: ['bordure'] } },
  { code: 'kerb_defect', kind: 'barrier', words: { en: ['kerb ramp'], de: ['absenkung'], fr: ['bateau'] } },
  { code: 'crossing', kind: 'barrier', words: { en: ['crossing'], de: ['übergang'], fr: ['passage piéton'] } },
  { code: 'help_food_water', kind: 'help', words: { en: ['water'], de: ['wasser'], fr: ['eau'] } },
];

describe('messages', () => {
  it('finds a plus code and a category word', () => {
    expect(parseMessage('steps at 9F4MGC2M+7V, no ramp', TAXONOMY)).toMatchObject({
      place: { form: 'plus_code' },
      category: 'steps',
      kind: 'barrier',
      language: 'en',
    });
  });

  it('reads geo: URIs, coordinate pairs and none', () => {
    expect(findPlace('geo:52.5163,13.3777;u=35')).toEqual({ lat: 52.5163, lon: 13.3777, accuracyM: 35, form: 'geo' });
    expect(findPlace('Treppe bei 48.13743, 11.57549')).toEqual({ lat: 48.13743, lon: 11.57549, form: 'coordinates' });
    expect(findPlace('we are 2, 3 people near the station')).toBeUndefined();
    expect(findPlace('Stufen 52.52, 13.405')).toEqual({ lat: 52.52, lon: 13.405, form: 'coordinates' });
    expect(findPlace('52.52 13.40 und 1.5 Stufen')).toBeUndefined();
    expect(findPlace('52.5163 13.3777')).toEqual({ lat: 52.5163, lon: 13.3777, form: 'coordinates' });
    expect(findPlace('geo:95.1,13.4')).toBeUndefined();
    expect(findPlace('1.2345678, 200.123')).toBeUndefined();
  });

  it('matches whole words, accents and case aside, help before barriers, longest phrase first', () => {
    expect(findCategory('Der UBERGANG ist gefährlich', TAXONOMY)).toEqual({
      code: 'crossing',
      kind: 'barrier',
      language: 'de',
    });
    expect(findCategory('the kerb ramp is broken', TAXONOMY)?.code).toBe('kerb_defect');
    expect(findCategory('stairs and no water here', TAXONOMY)).toEqual({
      code: 'help_food_water',
      kind: 'help',
      language: 'en',
    });
    expect(findCategory('au bureau', TAXONOMY)).toBeUndefined();
    expect(findCategory('Il n’y a plus d’eau', TAXONOMY)?.language).toBe('fr');
  });

  it('knows STOP and START only as the whole message', () => {
    expect(parseMessage(' Stop ', TAXONOMY).command).toBe('stop');
    expect(parseMessage('ARRÊT', TAXONOMY).command).toBe('stop');
    expect(parseMessage('START', TAXONOMY).command).toBe('start');
    expect(parseMessage('stop the works please', TAXONOMY).command).toBeUndefined();
  });

  it('stays fast on hostile text', () => {
    const hostile = `${'1.1111,'.repeat(2000)}${'8'.repeat(5000)}+${'geo:1'.repeat(2000)}`;
    const started = process.hrtime.bigint();
    parseMessage(hostile, TAXONOMY);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(200);
  });
});
