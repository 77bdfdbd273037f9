/** Deutsch für die Einsatzansicht. Anrede „Sie“; „Meldung“ für report, wie in der Bürger-App. */
import type { Kind, Severity, Status } from '../../lib/api';
import { plural } from '../../lib/i18n';
import type { ResponderStrings } from '../strings';

const status: Record<Status, string> = {
  new: 'Neu',
  verified: 'Geprüft',
  assigned: 'Zugewiesen',
  in_progress: 'In Bearbeitung',
  resolved: 'Erledigt',
  rejected: 'Abgelehnt',
  duplicate: 'Doppelt gemeldet',
};

const severity: Record<Kind, Record<Severity, string>> = {
  barrier: { 1: 'Lästig', 2: 'Schwer passierbar', 3: 'Unpassierbar' },
  help: { 1: 'Kann warten', 2: 'Bald nötig', 3: 'Dringend' },
};

export const de: ResponderStrings = {
  appName: 'Wegfrei Einsatz',
  skip: 'Zu meinen Aufträgen springen',
  loading: 'Wird geladen …',
  loadFailed: 'Ihre Aufträge konnten nicht geladen werden. Prüfen Sie die Verbindung und versuchen Sie es noch einmal.',
  login: {
    heading: 'Anmelden',
    intro: 'Für Einsatzkräfte, Koordinierende und Admins der Organisationen, die Wegfrei nutzen.',
    email: 'E-Mail',
    password: 'Passwort',
    submit: 'Anmelden',
    signingIn: 'Anmeldung läuft …',
    wrong: 'E-Mail oder Passwort stimmen nicht.',
    throttled: (s) =>
      s
        ? `Zu viele Versuche. Bitte warten Sie ${Math.ceil(s)} ${plural(Math.ceil(s), { one: 'Sekunde', other: 'Sekunden' })} und versuchen Sie es dann noch einmal.`
        : 'Zu viele Versuche. Bitte warten Sie einen Moment und versuchen Sie es dann noch einmal.',
    failed: 'Die Anmeldung ist fehlgeschlagen: Der Server war nicht erreichbar.',
  },
  sessionExpired: 'Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.',
  logout: 'Abmelden',
  heading: 'Meine Aufträge',
  count: (n) =>
    n === 0
      ? 'Ihnen oder Ihrem Team ist gerade nichts zugewiesen.'
      : `${n} ${plural(n, { one: 'Auftrag', other: 'Aufträge' })}, die dringendsten zuerst.`,
  refresh: 'Aktualisieren',
  mapLabel: 'Karte meiner Aufträge',
  mapHelp: 'Jeder Auftrag steht auch in der Liste unten, mit Wegbeschreibung.',
  tilesFailed: 'Die Kartenbilder konnten nicht geladen werden; die Liste unten enthält alles.',
  reportTitle: (label, id) => `${label} #${id}`,
  status: (s) => status[s] ?? s,
  severity: (kind, s) => severity[kind]?.[s] ?? String(s),
  severityLabel: 'Schweregrad',
  statusLabel: 'Status',
  address: 'Adresse',
  contact: 'Kontakt',
  people: 'Personen',
  noDescription: 'Keine Beschreibung.',
  directions: 'Route',
  directionsHint: ' (OpenStreetMap, öffnet in einem neuen Tab)',
  showOnMap: 'Auf der Karte zeigen',
  start: 'Beginnen',
  started: (id) => `Meldung ${id} ist jetzt in Bearbeitung.`,
  resolve: 'Erledigen',
  resolveHeading: (id) => `Meldung ${id} erledigen`,
  noteLabel: 'Was wurde getan?',
  noteHint: 'Die Mitarbeitenden sehen diese Notiz; sie bleibt im Verlauf der Meldung.',
  noteRequired: 'Schreiben Sie kurz, was getan wurde.',
  publicNoteLabel: 'Hinweis für die Öffentlichkeit (auf der Seite der Meldung)',
  publicNoteHint: 'Freiwillig. Alle können ihn lesen: keine Namen, Telefonnummern oder anderes Privates.',
  photoLabel: 'Foto (optional)',
  markResolved: 'Als erledigt markieren',
  cancel: 'Abbrechen',
  sending: 'Wird gesendet …',
  resolved: (id) => `Meldung ${id} ist erledigt. Vielen Dank!`,
  failed: 'Die Änderung konnte nicht gespeichert werden. Es ist nichts verloren – versuchen Sie es noch einmal.',
  photoFailed: 'Das Foto konnte nicht hochgeladen werden; die Meldung wurde nicht geändert.',
  photoAlt: (n) => `Foto ${n} der Meldung`,
  languageNav: 'Sprache',
  zoomIn: 'Vergrößern',
  zoomOut: 'Verkleinern',
};
