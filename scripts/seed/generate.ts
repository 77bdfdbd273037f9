// Synthetic reports as column arrays (one array per column, ready for unnest() in SQL).
// Report i depends only on (seed, i) and the towns.
import { type Random, gaussian, randomFor, weighted } from './random';
import { type Town, offsetKm } from './towns';

const BARRIERS: [string, number][] = [
  ['kerb_missing', 14],
  ['kerb_defect', 9],
  ['steps', 9],
  ['obstacle', 14],
  ['surface', 12],
  ['narrow', 5],
  ['slope', 3],
  ['no_sidewalk', 4],
  ['crossing', 7],
  ['signal', 5],
  ['entrance', 8],
  ['toilet', 3],
  ['lift', 4],
  ['parking', 4],
  ['works', 6],
  ['other_barrier', 3],
];
const HELP: [string, number][] = [
  ['help_assist', 20],
  ['help_evacuation', 12],
  ['help_medical', 12],
  ['help_equipment', 15],
  ['help_shelter', 8],
  ['help_food_water', 10],
  ['help_info', 15],
  ['help_other', 8],
];

/** Short texts as people write them; {s} is a street name. */
const DESCRIPTIONS: Record<string, string[]> = {
  kerb_missing: [
    'Bordstein an der Ecke {s} nicht abgesenkt',
    'Kein abgesenkter Bordstein, mit Rollstuhl nicht zu schaffen',
    'No dropped kerb at the corner of {s}',
  ],
  kerb_defect: [
    'Absenkung zu steil, Vorderräder bleiben hängen',
    'Bordsteinabsenkung {s} kaputt, Kante ca. 5 cm',
    'Kerb ramp is cracked and too narrow',
  ],
  steps: [
    'Drei Stufen zum Eingang, keine Rampe',
    'Treppe zur Unterführung {s}, kein Aufzug',
    'Steps only, no ramp to the platform',
  ],
  obstacle: [
    'Falschparker auf dem Gehweg {s}',
    'E-Scooter liegen quer über dem Gehweg',
    'Bins block the pavement every morning',
  ],
  surface: [
    'Kopfsteinpflaster, mit Rollator kaum passierbar',
    'Gehweg {s} voller Wurzelaufbrüche',
    'Loose gravel, wheels sink in',
  ],
  narrow: [
    'Restbreite neben dem Gerüst unter 80 cm',
    'Durchgang zwischen Poller und Mauer zu schmal',
    'Passage too narrow for a wheelchair',
  ],
  slope: ['Gehweg {s} stark quer geneigt', 'Rampe viel zu steil, ohne Hilfe nicht machbar', 'Steep slope, no handrail'],
  no_sidewalk: [
    'Kein Gehweg, man muss auf der Fahrbahn gehen',
    'Gehweg endet plötzlich an der {s}',
    'No footway along this road',
  ],
  crossing: ['Keine Querungshilfe an der {s}', 'Zebrastreifen ohne Absenkung', 'Crossing has no tactile paving'],
  signal: ['Ampel ohne Tonsignal', 'Anforderungstaster zu hoch angebracht', 'Pedestrian signal has no sound'],
  entrance: ['Eingang nur über Stufe erreichbar', 'Schwere Tür ohne automatischen Öffner', 'Entrance has a 10 cm step'],
  toilet: [
    'Behindertentoilette abgeschlossen, Schlüssel nicht auffindbar',
    'Keine barrierefreie Toilette im Park',
    'Accessible toilet used as storage',
  ],
  lift: ['Aufzug am Bahnsteig seit Wochen außer Betrieb', 'Aufzug {s} defekt', 'Lift out of order, no alternative'],
  parking: [
    'Behindertenparkplatz dauernd zugeparkt',
    'Kein Behindertenparkplatz in der Nähe',
    'Disabled bay blocked by a van',
  ],
  works: [
    'Baustelle sperrt Gehweg {s} ohne Umleitung',
    'Baustellenabsperrung lässt keinen Durchgang',
    'Road works, no safe detour',
  ],
  other_barrier: [
    'Hecke ragt weit in den Gehweg',
    'Blendende Beleuchtung, Leitlinie nicht erkennbar',
    'Something else blocks the way',
  ],
  help_assist: ['Brauche Hilfe beim Einkaufen', 'Begleitung zum Arzt benötigt', 'Need someone to help me get home'],
  help_evacuation: [
    'Rollstuhlfahrerin muss aus dem 3. OG evakuiert werden',
    'Transport ins Notquartier benötigt, Rollstuhl',
    'Need evacuation, cannot use stairs',
  ],
  help_medical: ['Medikamente gehen aus', 'Insulin muss gekühlt werden, kein Strom', 'Need medical help, not urgent'],
  help_equipment: ['Rollstuhl-Akku leer, kein Strom zum Laden', 'Rollator beschädigt', 'Wheelchair tyre flat'],
  help_shelter: [
    'Wohnung unbewohnbar, brauche barrierefreie Unterkunft',
    'Notunterkunft nicht barrierefrei',
    'Need an accessible place to stay',
  ],
  help_food_water: ['Kein Trinkwasser mehr', 'Brauche Lebensmittel, kann nicht raus', 'Need drinking water'],
  help_info: [
    'Welche Notunterkunft ist barrierefrei?',
    'Wo gibt es Strom zum Laden?',
    'Where is the nearest accessible shelter?',
  ],
  help_other: ['Assistenzhund braucht Futter', 'Hörgerät verloren', 'Other help needed'],
};

const pickBarrier = weighted(
  BARRIERS.map(([c]) => c),
  BARRIERS.map(([, w]) => w),
);
const pickHelp = weighted(
  HELP.map(([c]) => c),
  HELP.map(([, w]) => w),
);
const pickStatus = weighted(
  ['new', 'verified', 'assigned', 'in_progress', 'resolved', 'rejected', 'duplicate'],
  [42, 30, 5, 5, 12, 3, 3],
);

export const CATEGORY_CODES = [...BARRIERS, ...HELP].map(([c]) => c);

export interface ReportColumns {
  kind: string[];
  category: string[];
  status: string[];
  severity: number[];
  passability: (string | null)[];
  peopleCount: (number | null)[];
  description: (string | null)[];
  address: (string | null)[];
  accuracyM: (number | null)[];
  lon: number[];
  lat: number[];
  /** Unix seconds. */
  createdAt: number[];
  updatedAt: number[];
  stillThere: number[];
  gone: number[];
  hidden: boolean[];
  /** Photos of the report (0–3) and which sample photo comes first. */
  photoCount: number[];
  photoFirst: number[];
}

export interface GenerateOptions {
  seed: number;
  towns: Town[];
  /** Dates run back one year from here (unix seconds). */
  nowSeconds: number;
  samplePhotos: number;
}

const YEAR_S = 365 * 24 * 3600;

export function makeGenerator(opts: GenerateOptions): (from: number, count: number) => ReportColumns {
  const pickTown = weighted(
    opts.towns,
    opts.towns.map((t) => t.population),
  );

  function place(rng: Random, town: Town): { lat: number; lon: number; street: string } {
    const r = rng();
    const s = Math.floor(rng() * town.streets.length);
    const street = town.streetNames[s]!;
    if (r < 0.62) {
      // Along a street, a few metres either side of its line.
      const seg = town.streets[s]!;
      const t = rng();
      const lat = seg.lat0 + (seg.lat1 - seg.lat0) * t;
      const lon = seg.lon0 + (seg.lon1 - seg.lon0) * t;
      const [jLat, jLon] = offsetKm(lat, lon, gaussian(rng) * 0.008, gaussian(rng) * 0.008);
      return { lat: jLat, lon: jLon, street };
    }
    const sigma = r < 0.95 ? town.radiusKm * 0.45 : town.radiusKm * 2 + 3;
    const [lat, lon] = offsetKm(town.lat, town.lon, gaussian(rng) * sigma, gaussian(rng) * sigma);
    return { lat, lon, street };
  }

  return (from, count) => {
    const c: ReportColumns = {
      kind: [],
      category: [],
      status: [],
      severity: [],
      passability: [],
      peopleCount: [],
      description: [],
      address: [],
      accuracyM: [],
      lon: [],
      lat: [],
      createdAt: [],
      updatedAt: [],
      stillThere: [],
      gone: [],
      hidden: [],
      photoCount: [],
      photoFirst: [],
    };
    for (let i = from; i < from + count; i++) {
      const rng = randomFor(opts.seed, i);
      const town = pickTown(rng);
      const { lat, lon, street } = place(rng, town);
      const help = rng() < town.helpShare;
      const category = help ? pickHelp(rng) : pickBarrier(rng);
      const status = pickStatus(rng);
      const sr = rng();
      const severity = help ? (sr < 0.25 ? 1 : sr < 0.7 ? 2 : 3) : sr < 0.35 ? 1 : sr < 0.8 ? 2 : 3;
      const pr = rng();
      let passability: string | null = null;
      if (!help && pr < 0.9) {
        if (severity === 3) passability = pr < 0.63 ? 'no' : 'limited';
        else if (severity === 2) passability = pr < 0.63 ? 'limited' : pr < 0.77 ? 'no' : 'yes';
        else passability = pr < 0.54 ? 'yes' : 'limited';
      }
      const qr = rng();
      const people = !help
        ? null
        : qr < 0.7
          ? 1
          : qr < 0.92
            ? 2 + Math.floor(rng() * 3)
            : qr < 0.99
              ? 5 + Math.floor(rng() * 16)
              : 20 + Math.floor(rng() * 180);
      const texts = DESCRIPTIONS[category]!;
      const description = rng() < 0.15 ? null : texts[Math.floor(rng() * texts.length)]!.replace('{s}', street);
      const address = !help && rng() < 0.35 ? `${street} ${1 + Math.floor(rng() * 120)}, ${town.name}` : null;
      const accuracy = rng() < 0.1 ? null : Math.round((3 + rng() ** 2 * 60) * 10) / 10;
      // More reports lately than a year ago.
      const created = opts.nowSeconds - Math.floor(rng() ** 1.3 * YEAR_S);
      const updated = status === 'new' ? created : created + Math.floor(rng() * (opts.nowSeconds - created));
      const open = status !== 'resolved' && status !== 'rejected' && status !== 'duplicate';
      const stillThere = open && rng() < 0.3 ? Math.floor(rng() ** 3 * 8) + 1 : 0;
      const gone = status === 'resolved' ? 1 + Math.floor(rng() * 3) : rng() < 0.02 ? 1 : 0;
      const pc = rng();
      const photoCount = pc < 0.014 ? 1 : pc < 0.018 ? 2 : pc < 0.02 ? 3 : 0;

      c.kind.push(help ? 'help' : 'barrier');
      c.category.push(category);
      c.status.push(status);
      c.severity.push(severity);
      c.passability.push(passability);
      c.peopleCount.push(people);
      c.description.push(description);
      c.address.push(address);
      c.accuracyM.push(accuracy);
      c.lon.push(Math.round(lon * 1e7) / 1e7);
      c.lat.push(Math.round(lat * 1e7) / 1e7);
      c.createdAt.push(created);
      c.updatedAt.push(updated);
      c.stillThere.push(stillThere);
      c.gone.push(gone);
      c.hidden.push(rng() < 0.004);
      c.photoCount.push(photoCount);
      c.photoFirst.push(Math.floor(rng() * opts.samplePhotos));
    }
    return c;
  };
}
