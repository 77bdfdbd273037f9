// Where synthetic reports happen: real cities of Central Europe (approximate centres and
// populations) plus many seeded small towns around them, each with a few "streets" (line
// segments) that most of its reports lie along.
import { type Random, gaussian } from './random';

export interface Town {
  name: string;
  lat: number;
  lon: number;
  /** Inhabitants in thousands; decides how many reports a town gets and how far it spreads. */
  population: number;
  /** Radius of the built-up area, km. */
  radiusKm: number;
  /** Share of help requests among its reports (a few towns stand for a flood zone). */
  helpShare: number;
  streets: Street[];
  streetNames: string[];
}

export interface Street {
  lat0: number;
  lon0: number;
  lat1: number;
  lon1: number;
}

// name, lat, lon, population (thousands)
const CITIES: [string, number, number, number][] = [
  ['Berlin', 52.52, 13.405, 3700],
  ['Hamburg', 53.551, 9.994, 1850],
  ['München', 48.137, 11.575, 1500],
  ['Köln', 50.938, 6.96, 1080],
  ['Frankfurt am Main', 50.11, 8.682, 760],
  ['Stuttgart', 48.776, 9.183, 630],
  ['Düsseldorf', 51.227, 6.773, 620],
  ['Leipzig', 51.34, 12.375, 600],
  ['Dortmund', 51.514, 7.466, 590],
  ['Essen', 51.456, 7.012, 580],
  ['Bremen', 53.079, 8.802, 570],
  ['Dresden', 51.05, 13.738, 560],
  ['Hannover', 52.376, 9.738, 540],
  ['Nürnberg', 49.452, 11.077, 520],
  ['Duisburg', 51.435, 6.763, 500],
  ['Bochum', 51.482, 7.216, 365],
  ['Wuppertal', 51.256, 7.151, 355],
  ['Bielefeld', 52.03, 8.532, 335],
  ['Bonn', 50.737, 7.098, 330],
  ['Münster', 51.961, 7.626, 315],
  ['Mannheim', 49.487, 8.466, 310],
  ['Karlsruhe', 49.007, 8.404, 305],
  ['Augsburg', 48.37, 10.898, 300],
  ['Wiesbaden', 50.078, 8.24, 280],
  ['Mönchengladbach', 51.185, 6.442, 260],
  ['Gelsenkirchen', 51.518, 7.086, 260],
  ['Aachen', 50.776, 6.084, 250],
  ['Braunschweig', 52.269, 10.521, 250],
  ['Kiel', 54.323, 10.123, 245],
  ['Chemnitz', 50.828, 12.921, 245],
  ['Halle (Saale)', 51.482, 11.97, 240],
  ['Magdeburg', 52.121, 11.628, 235],
  ['Freiburg im Breisgau', 47.999, 7.842, 230],
  ['Krefeld', 51.339, 6.586, 225],
  ['Mainz', 49.993, 8.247, 220],
  ['Lübeck', 53.866, 10.686, 215],
  ['Erfurt', 50.978, 11.029, 215],
  ['Oberhausen', 51.47, 6.852, 210],
  ['Rostock', 54.092, 12.099, 210],
  ['Kassel', 51.312, 9.48, 200],
  ['Hagen', 51.367, 7.463, 190],
  ['Potsdam', 52.391, 13.064, 185],
  ['Saarbrücken', 49.24, 6.997, 180],
  ['Oldenburg', 53.143, 8.214, 170],
  ['Osnabrück', 52.279, 8.047, 165],
  ['Heidelberg', 49.398, 8.672, 160],
  ['Darmstadt', 49.873, 8.651, 160],
  ['Regensburg', 49.013, 12.102, 155],
  ['Würzburg', 49.791, 9.953, 128],
  ['Ulm', 48.401, 9.987, 127],
  ['Göttingen', 51.541, 9.916, 118],
  ['Trier', 49.75, 6.637, 111],
  ['Jena', 50.927, 11.586, 110],
  ['Cottbus', 51.756, 14.333, 99],
  ['Schwerin', 53.635, 11.401, 96],
  ['Flensburg', 54.784, 9.437, 92],
  ['Konstanz', 47.66, 9.175, 86],
  ['Görlitz', 51.153, 14.987, 56],
  ['Passau', 48.575, 13.461, 53],
  ['Wien', 48.208, 16.373, 1950],
  ['Graz', 47.071, 15.439, 290],
  ['Linz', 48.306, 14.286, 210],
  ['Salzburg', 47.809, 13.055, 155],
  ['Innsbruck', 47.269, 11.404, 130],
  ['Zürich', 47.377, 8.541, 420],
  ['Basel', 47.56, 7.589, 175],
  ['Bern', 46.948, 7.447, 135],
  ['Luzern', 47.05, 8.309, 82],
  ['Praha', 50.075, 14.438, 1300],
  ['Brno', 49.195, 16.607, 380],
  ['Plzeň', 49.738, 13.373, 175],
  ['Wrocław', 51.108, 17.039, 640],
  ['Szczecin', 53.428, 14.553, 400],
  ['Amsterdam', 52.368, 4.904, 880],
  ['Rotterdam', 51.924, 4.478, 650],
  ['Utrecht', 52.091, 5.122, 360],
  ['Bruxelles', 50.85, 4.352, 1200],
  ['Antwerpen', 51.219, 4.402, 530],
  ['Luxembourg', 49.611, 6.13, 130],
  ['Strasbourg', 48.573, 7.752, 290],
  ['København', 55.676, 12.568, 650],
];

/** Towns hit by a (fictional) flood: many help requests there. */
const FLOOD_TOWNS = new Set(['Passau', 'Görlitz']);

const STREET_NAMES = [
  'Hauptstraße',
  'Bahnhofstraße',
  'Schulstraße',
  'Gartenstraße',
  'Dorfstraße',
  'Kirchstraße',
  'Lindenstraße',
  'Bergstraße',
  'Waldstraße',
  'Ringstraße',
  'Mühlenweg',
  'Am Markt',
  'Marktplatz',
  'Rathausplatz',
  'Goethestraße',
  'Schillerstraße',
  'Friedhofstraße',
  'Poststraße',
  'Brunnenstraße',
  'Birkenweg',
  'Feldstraße',
  'Parkstraße',
  'Wiesenweg',
  'Lessingstraße',
  'Mozartstraße',
  'Uferstraße',
  'Brückenstraße',
  'Kastanienallee',
  'Am Bahnhof',
  'Industriestraße',
  'Sonnenstraße',
  'Rosenweg',
  'Ahornweg',
  'Eichendorffstraße',
  'Hafenstraße',
  'Neue Straße',
];

const SMALL_TOWN_PARTS = {
  start: [
    'Alt',
    'Neu',
    'Ober',
    'Nieder',
    'Groß',
    'Klein',
    'Bad ',
    'Sankt ',
    'Hoch',
    'Unter',
    'Mittel',
    'Wester',
    'Oster',
  ],
  stem: [
    'berg',
    'bach',
    'feld',
    'dorf',
    'hausen',
    'heim',
    'ingen',
    'stadt',
    'brück',
    'au',
    'wald',
    'rode',
    'furt',
    'hagen',
  ],
  root: [
    'Lind',
    'Eich',
    'Buch',
    'Birk',
    'Tann',
    'Erl',
    'Hasel',
    'Wolf',
    'Fuchs',
    'Rosen',
    'Stein',
    'Mühl',
    'Wein',
    'Hirsch',
  ],
};

const KM_PER_DEG_LAT = 111.32;

export function offsetKm(lat: number, lon: number, northKm: number, eastKm: number): [number, number] {
  const lat2 = lat + northKm / KM_PER_DEG_LAT;
  const lon2 = lon + eastKm / (KM_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180));
  return [lat2, lon2];
}

function radiusFor(population: number): number {
  return Math.max(0.8, Math.sqrt(population) * 0.28);
}

function makeStreets(rng: Random, lat: number, lon: number, radiusKm: number, population: number): Street[] {
  const n = Math.min(40, Math.max(3, Math.round(2 + Math.sqrt(population) / 3)));
  const streets: Street[] = [];
  for (let i = 0; i < n; i++) {
    const [sLat, sLon] = offsetKm(lat, lon, gaussian(rng) * radiusKm * 0.5, gaussian(rng) * radiusKm * 0.5);
    const angle = rng() * Math.PI;
    const length = radiusKm * (0.3 + rng() * 0.9);
    const [eLat, eLon] = offsetKm(sLat, sLon, Math.sin(angle) * length, Math.cos(angle) * length);
    streets.push({ lat0: sLat, lon0: sLon, lat1: eLat, lon1: eLon });
  }
  return streets;
}

function pickNames(rng: Random, n: number): string[] {
  return Array.from({ length: n }, () => STREET_NAMES[Math.floor(rng() * STREET_NAMES.length)]!);
}

function makeTown(rng: Random, name: string, lat: number, lon: number, population: number): Town {
  const radiusKm = radiusFor(population);
  const streets = makeStreets(rng, lat, lon, radiusKm, population);
  return {
    name,
    lat,
    lon,
    population,
    radiusKm,
    helpShare: FLOOD_TOWNS.has(name) ? 0.35 : 0.06,
    streets,
    streetNames: pickNames(rng, streets.length),
  };
}

function smallTownName(rng: Random): string {
  const pick = (list: string[]) => list[Math.floor(rng() * list.length)]!;
  const base = pick(SMALL_TOWN_PARTS.root) + pick(SMALL_TOWN_PARTS.stem);
  return rng() < 0.35 ? pick(SMALL_TOWN_PARTS.start) + base.toLowerCase() : base;
}

/** The same towns for the same seed: the real cities, then `smallTowns` seeded small ones. */
export function makeTowns(rng: Random, smallTowns = 1500): Town[] {
  const towns = CITIES.map(([name, lat, lon, pop]) => makeTown(rng, name, lat, lon, pop));
  for (let i = 0; i < smallTowns; i++) {
    // Log-uniform between 2,000 and 40,000 inhabitants.
    const population = Math.exp(Math.log(2) + rng() * (Math.log(40) - Math.log(2)));
    let lat: number;
    let lon: number;
    if (rng() < 0.7) {
      // Most small towns lie in the belt around a city.
      const city = towns[Math.floor(rng() * CITIES.length)]!;
      const distance = city.radiusKm + 5 + rng() * 60;
      const angle = rng() * 2 * Math.PI;
      [lat, lon] = offsetKm(city.lat, city.lon, Math.sin(angle) * distance, Math.cos(angle) * distance);
    } else {
      // The rest anywhere in Germany's inland box.
      lat = 47.7 + rng() * (54.0 - 47.7);
      lon = 6.6 + rng() * (14.6 - 6.6);
    }
    towns.push(makeTown(rng, smallTownName(rng), lat, lon, population));
  }
  return towns;
}
