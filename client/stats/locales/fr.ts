/** Français pour la page des statistiques. Vouvoiement ; « signalement » pour report, comme dans l’app citoyenne. */
import { plural } from '../../lib/i18n';
import type { StatsStrings } from '../strings';

const NB = '\u00a0';
const NNB = '\u202f';

export const fr: StatsStrings = {
  title: 'Statistiques — Wegfrei',
  skip: 'Aller au contenu',
  section: 'Statistiques',
  languageNav: 'Langue',
  heading: 'Comment les signalements sont traités',
  lead: 'Combien de signalements publics sont ouverts, combien ont été résolus et en combien de jours — par catégorie, par zone et dans le temps.',
  facts: [
    'Sont comptés tous les signalements publics. Les signalements masqués et rejetés ne sont pas comptés ; un doublon est compté à travers son original.',
    `Ouvert signifie nouveau, vérifié, attribué ou en cours. Les jours jusqu’à la résolution vont du signalement à sa résolution${NNB}; la médiane est la valeur du milieu, un seul cas très lent ne la fausse donc pas.`,
    `Les demandes d’aide sont comptées à leur point de grille public. Dans une zone, 1 ou 2 demandes d’aide sont affichées comme «${NB}moins de 3${NB}», afin que personne ne puisse être identifié.`,
    'Les chiffres sont recomptés au plus une fois par minute.',
  ],
  otherPages: `Les signalements eux-mêmes${NB}:`,
  mapLink: 'la carte',
  dataLink: 'les données ouvertes',

  filtersHeading: 'Choisir les signalements',
  since: 'Signalés à partir du',
  until: 'Signalés jusqu’au',
  dateHint: 'Un jour entier en UTC ; laisser vide pour aucune limite.',
  kind: 'Type',
  kinds: { all: 'Obstacles et demandes d’aide', barrier: 'Obstacles', help: 'Demandes d’aide' },
  apply: 'Afficher',
  reset: 'Tout afficher',
  loading: 'Comptage…',
  failed: 'Les statistiques n’ont pas pu être chargées. Veuillez réessayer dans une minute.',
  invalid: 'Veuillez corriger le champ signalé.',
  loaded: (n) => `Statistiques affichées pour ${n} ${plural(n, { one: 'signalement', other: 'signalements' })}.`,

  totalsHeading: 'Au total',
  open: 'Ouverts',
  labelled: (label, value) => `${label}${NNB}: ${value}`,
  resolved: 'Résolus',
  reported: 'Signalés',
  medianDays: 'Médiane des jours jusqu’à la résolution',
  none: '—',
  noneLong: 'aucun résolu',
  days: (d) => `${d}${NB}jours`,
  fewerThan3: 'moins de 3',
  csv: 'Télécharger ces chiffres en CSV',
  csvHint: 'Un seul tableau : totaux, catégories, zones et périodes, avec les mêmes chiffres que cette page.',

  timeHeading: 'Dans le temps',
  timeUnit: { week: 'Par semaine (à partir du lundi)', month: 'Par mois' },
  period: { week: 'Semaine du', month: 'Mois' },
  timeCaption: (unit) => `Signalements faits et résolus ${unit === 'week' ? 'par semaine' : 'par mois'}`,
  timeChart: (unit, n, maxReported, busiest) =>
    `Histogramme des signalements faits et résolus par ${unit === 'week' ? 'semaine' : 'mois'}, ${n}${NB}${unit === 'week' ? plural(n, { one: 'semaine', other: 'semaines' }) : 'mois'}${NNB}; le plus de signalements${NB}: ${maxReported} en ${busiest}. Le tableau ci-dessous contient les mêmes chiffres.`,
  timeEmpty: 'Aucun signalement pendant cette période.',

  categoryHeading: 'Par catégorie',
  category: 'Catégorie',
  categoryCaption: 'Signalements ouverts et résolus par catégorie',
  categoryChart: (n, top) =>
    `Diagramme en barres des signalements ouverts et résolus pour ${n}${NB}${plural(n, { one: 'catégorie', other: 'catégories' })}${NNB}; le plus d’ouverts${NB}: ${top}. Le tableau ci-dessous contient les mêmes chiffres.`,

  areaHeading: 'Par zone',
  area: 'Zone',
  areaCaption: 'Signalements ouverts et résolus par zone',
  areaImported: 'Les zones sont les quartiers définis par l’organisation.',
  areaGrid: (deg) =>
    `Aucun quartier n’est défini ; les zones sont donc des carrés de grille de ${deg.replace('.', ',')}° (environ ${Math.round(Number(deg) * 111)}${NB}km), nommés d’après leur centre.`,
  areaLeftOut: (n) =>
    `${n} ${plural(n, { one: 'carré plus calme n’est pas listé', other: 'carrés plus calmes ne sont pas listés' })}.`,
  outside: 'Hors de tout quartier',
  areaChart: (shown, total, top) =>
    `Diagramme en barres des signalements ouverts et résolus dans les ${shown}${NB}zones ayant le plus de signalements ouverts (sur ${total})${NNB}; le plus d’ouverts${NB}: ${top}. Le tableau ci-dessous liste chaque zone.`,
  chartTop: (n) => `Les ${n}${NB}zones ayant le plus de signalements ouverts${NB}:`,
  kindColumn: 'Type',
  withKind: (column) => `${column} (type)`,

  legend: 'Légende',
  tableRegion: (caption) => `${caption} (tableau, défilement horizontal)`,
  north: 'N',
  south: 'S',
  east: 'E',
  west: 'O',
};
