// Our taxonomy as GeoReport v2 services: each category a service, its attributes the report
// fields an Open311 client may send as attribute[code].
import type { Category, Kind, Language } from '../categories/categories.repo';

export type Text = Record<Language, string>;

interface AttributeSpec {
  code: 'severity' | 'passability' | 'people_count' | 'accuracy_m';
  kinds: readonly Kind[];
  datatype: 'singlevaluelist' | 'number';
  required: boolean;
  description: Text;
  datatypeDescription?: Text;
  values?: (kind: Kind) => { key: string; name: Text }[];
}

const SEVERITY_NAMES: Record<Kind, Text[]> = {
  barrier: [
    { en: 'An inconvenience', de: 'Ein Ärgernis', fr: 'Une gêne' },
    { en: 'Hard to pass', de: 'Schwer passierbar', fr: 'Difficile à franchir' },
    { en: 'Impassable', de: 'Unpassierbar', fr: 'Infranchissable' },
  ],
  help: [
    { en: 'Can wait', de: 'Kann warten', fr: 'Peut attendre' },
    { en: 'Needs help soon', de: 'Braucht bald Hilfe', fr: 'Besoin d’aide bientôt' },
    { en: 'Urgent', de: 'Dringend', fr: 'Urgent' },
  ],
};

/** The attributes a service definition lists, in order; `attribute[code]` when posting. */
export const ATTRIBUTES: readonly AttributeSpec[] = [
  {
    code: 'severity',
    kinds: ['barrier', 'help'],
    datatype: 'singlevaluelist',
    required: true,
    description: { en: 'How serious is it?', de: 'Wie schwerwiegend ist es?', fr: 'Quelle est la gravité ?' },
    values: (kind) => SEVERITY_NAMES[kind].map((name, i) => ({ key: String(i + 1), name })),
  },
  {
    code: 'passability',
    kinds: ['barrier'],
    datatype: 'singlevaluelist',
    required: false,
    description: {
      en: 'Can a wheelchair user get past?',
      de: 'Kommt man im Rollstuhl vorbei?',
      fr: 'Peut-on passer en fauteuil roulant ?',
    },
    values: () => [
      { key: 'yes', name: { en: 'Yes', de: 'Ja', fr: 'Oui' } },
      {
        key: 'limited',
        name: { en: 'With difficulty or help', de: 'Mit Mühe oder Hilfe', fr: 'Avec difficulté ou aide' },
      },
      { key: 'no', name: { en: 'No', de: 'Nein', fr: 'Non' } },
    ],
  },
  {
    code: 'people_count',
    kinds: ['help'],
    datatype: 'number',
    required: false,
    description: {
      en: 'How many people need help?',
      de: 'Wie viele Menschen brauchen Hilfe?',
      fr: 'Combien de personnes ont besoin d’aide ?',
    },
    datatypeDescription: {
      en: 'A whole number from 1 to 10000',
      de: 'Eine ganze Zahl von 1 bis 10000',
      fr: 'Un nombre entier de 1 à 10000',
    },
  },
  {
    code: 'accuracy_m',
    kinds: ['barrier', 'help'],
    datatype: 'number',
    required: false,
    description: {
      en: 'How exact is the location, in metres?',
      de: 'Wie genau ist der Ort, in Metern?',
      fr: 'Quelle est la précision du lieu, en mètres ?',
    },
    datatypeDescription: {
      en: 'Metres, as the phone reports its accuracy',
      de: 'Meter, wie das Telefon seine Genauigkeit angibt',
      fr: 'Mètres, selon la précision indiquée par le téléphone',
    },
  },
];

export const attributesOf = (kind: Kind) => ATTRIBUTES.filter((a) => a.kinds.includes(kind));

export function serviceJson(c: Category, lang: Language) {
  return {
    service_code: c.code,
    service_name: c.labels[lang],
    description: c.descriptions[lang],
    metadata: true,
    type: 'realtime',
    keywords: [c.kind, c.sidewalkLabel, c.hxlSector].filter(Boolean).join(', '),
    group: c.kind,
  };
}

export function serviceDefinitionJson(c: Category, lang: Language) {
  return {
    service_code: c.code,
    attributes: attributesOf(c.kind).map((a, i) => ({
      variable: true,
      code: a.code,
      datatype: a.datatype,
      required: a.required,
      datatype_description: a.datatypeDescription?.[lang] ?? null,
      order: i + 1,
      description: a.description[lang],
      values: a.values?.(c.kind).map((v) => ({ key: v.key, name: v.name[lang] })) ?? [],
    })),
  };
}
