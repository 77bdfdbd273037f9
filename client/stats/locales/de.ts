/** Deutsch für die Statistikseite. Anrede „Sie“; „Meldung“ für report, wie in der Bürger-App. */
import { plural } from '../../lib/i18n';
import type { StatsStrings } from '../strings';

export const de: StatsStrings = {
  title: 'Statistik — Wegfrei',
  skip: 'Zum Inhalt springen',
  section: 'Statistik',
  languageNav: 'Sprache',
  heading: 'Wie Meldungen bearbeitet werden',
  lead: 'Wie viele öffentliche Meldungen offen sind, wie viele erledigt wurden und wie viele Tage das Erledigen dauerte — nach Kategorie, nach Gebiet und im Zeitverlauf.',
  facts: [
    'Gezählt wird jede öffentliche Meldung. Verborgene und abgelehnte Meldungen zählen nicht; ein Duplikat zählt über sein Original.',
    'Offen heißt neu, bestätigt, zugewiesen oder in Arbeit. Die Tage bis zur Erledigung zählen von der Meldung bis zu ihrer Erledigung; der Median ist der mittlere Wert, ein einzelner sehr langsamer Fall verzerrt ihn also nicht.',
    'Hilfegesuche werden an ihrem öffentlichen Rasterpunkt gezählt. In einem Gebiet erscheinen 1 oder 2 Hilfegesuche als „weniger als 3“, damit niemand herausgegriffen werden kann.',
    'Die Zahlen werden höchstens einmal pro Minute neu gezählt.',
  ],
  otherPages: 'Die Meldungen selbst:',
  mapLink: 'die Karte',
  dataLink: 'offene Daten',

  filtersHeading: 'Meldungen auswählen',
  since: 'Gemeldet ab',
  until: 'Gemeldet bis',
  dateHint: 'Ein ganzer Tag in UTC; leer lassen für keine Grenze.',
  kind: 'Art',
  kinds: { all: 'Barrieren und Hilfegesuche', barrier: 'Barrieren', help: 'Hilfegesuche' },
  apply: 'Anzeigen',
  reset: 'Alles anzeigen',
  loading: 'Wird gezählt …',
  failed: 'Die Statistik konnte nicht geladen werden. Bitte versuchen Sie es in einer Minute erneut.',
  invalid: 'Bitte korrigieren Sie das markierte Feld.',
  loaded: (n) => `Statistik für ${n} ${plural(n, { one: 'Meldung', other: 'Meldungen' })} angezeigt.`,

  totalsHeading: 'Insgesamt',
  open: 'Offen',
  labelled: (label, value) => `${label}: ${value}`,
  resolved: 'Erledigt',
  reported: 'Gemeldet',
  medianDays: 'Median der Tage bis zur Erledigung',
  none: '—',
  noneLong: 'keine erledigt',
  days: (d) => `${d} Tage`,
  fewerThan3: 'weniger als 3',
  csv: 'Diese Zahlen als CSV herunterladen',
  csvHint: 'Eine Tabelle: Summen, Kategorien, Gebiete und Zeiträume, mit denselben Zahlen wie diese Seite.',

  timeHeading: 'Im Zeitverlauf',
  timeUnit: { week: 'Pro Woche (ab Montag)', month: 'Pro Monat' },
  period: { week: 'Woche ab', month: 'Monat' },
  timeCaption: (unit) => `Gemeldete und erledigte Meldungen ${unit === 'week' ? 'pro Woche' : 'pro Monat'}`,
  timeChart: (unit, n, maxReported, busiest) =>
    `Säulendiagramm der gemeldeten und erledigten Meldungen pro ${unit === 'week' ? 'Woche' : 'Monat'}, ${n} ${unit === 'week' ? plural(n, { one: 'Woche', other: 'Wochen' }) : plural(n, { one: 'Monat', other: 'Monate' })}; die meisten Meldungen: ${maxReported} im Zeitraum ${busiest}. Die Tabelle darunter enthält dieselben Zahlen.`,
  timeEmpty: 'In diesem Zeitraum gibt es keine Meldungen.',

  categoryHeading: 'Nach Kategorie',
  category: 'Kategorie',
  categoryCaption: 'Offene und erledigte Meldungen pro Kategorie',
  categoryChart: (n, top) =>
    `Balkendiagramm der offenen und erledigten Meldungen für ${n} ${plural(n, { one: 'Kategorie', other: 'Kategorien' })}; die meisten offenen: ${top}. Die Tabelle darunter enthält dieselben Zahlen.`,

  areaHeading: 'Nach Gebiet',
  area: 'Gebiet',
  areaCaption: 'Offene und erledigte Meldungen pro Gebiet',
  areaImported: 'Gebiete sind die Bezirke, die die Organisation eingerichtet hat.',
  areaGrid: (deg) =>
    `Es sind keine Bezirke eingerichtet; Gebiete sind daher Rasterquadrate von ${deg.replace('.', ',')}° (etwa ${Math.round(Number(deg) * 111)} km), benannt nach ihrem Mittelpunkt.`,
  areaLeftOut: (n) =>
    `${n} ruhigere ${plural(n, { one: 'Rasterquadrat ist', other: 'Rasterquadrate sind' })} nicht aufgeführt.`,
  outside: 'Außerhalb aller Bezirke',
  areaChart: (shown, total, top) =>
    `Balkendiagramm der offenen und erledigten Meldungen in den ${shown} Gebieten mit den meisten offenen Meldungen (von ${total}); die meisten offenen: ${top}. Die Tabelle darunter führt jedes Gebiet auf.`,
  chartTop: (n) => `Die ${n} Gebiete mit den meisten offenen Meldungen:`,
  kindColumn: 'Art',
  withKind: (column) => `${column} (Art)`,

  legend: 'Legende',
  tableRegion: (caption) => `${caption} (Tabelle, seitlich scrollbar)`,
  north: 'N',
  south: 'S',
  east: 'O',
  west: 'W',
};
