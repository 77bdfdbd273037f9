/**
 * Deutsch für das Dashboard. Anrede „Sie“; dieselben Wörter wie die Bürger-App („Meldung“,
 * „Barriere“, „Hilfegesuch“) und die Moderation („Koordinierende“).
 */
import type { Kind, Severity, Status } from '../../lib/api';
import { formatDate, formatNumber, language, plural as pluralOf } from '../../lib/i18n';
import type { Role } from '../../lib/staff-api';
import { moderationHistory } from '../moderation-strings';
import type { DashboardStrings } from '../strings';

const status: Record<Status, string> = {
  new: 'Neu',
  verified: 'Geprüft',
  assigned: 'Zugewiesen',
  in_progress: 'In Bearbeitung',
  resolved: 'Erledigt',
  rejected: 'Abgelehnt',
  duplicate: 'Doppelt gemeldet',
};

const source: Record<string, string> = {
  web: 'Web-App',
  open311: 'Open311',
  sms: 'SMS',
  telegram: 'Telegram',
  import: 'Import',
  staff: 'Personal',
};

const transition: Record<Status, string> = {
  new: 'Wieder öffnen',
  verified: 'Prüfen',
  assigned: 'Als zugewiesen markieren',
  in_progress: 'Bearbeitung beginnen',
  resolved: 'Erledigen',
  rejected: 'Ablehnen',
  duplicate: 'Als doppelt markieren',
};

const severity: Record<Kind, Record<Severity, string>> = {
  barrier: { 1: 'Lästig', 2: 'Schwer passierbar', 3: 'Unpassierbar' },
  help: { 1: 'Kann warten', 2: 'Bald nötig', 3: 'Dringend' },
};

const roles: Record<Role, string> = { admin: 'Admin', coordinator: 'Koordination', responder: 'Einsatzkraft' };

const n = (x: number) => formatNumber(x);
const plural = (x: number, one: string, many: string) => `${n(x)} ${pluralOf(x, { one, other: many })}`;
const decimal = (x: number) => formatNumber(x, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const decimal3 = (x: number) => formatNumber(x, { minimumFractionDigits: 3, maximumFractionDigits: 3 });

export const de: DashboardStrings = {
  // The product's name, as on the header's logo.
  appName: 'Wegfrei Staff',
  skip: 'Zum Inhalt springen',
  loading: 'Wird geladen …',
  loadFailed: 'Das Dashboard konnte nicht geladen werden. Prüfen Sie die Verbindung und laden Sie die Seite neu.',
  sections: 'Bereiche',
  nav: { triage: 'Sichtung', deployments: 'Einsätze', overview: 'Übersicht', admin: 'Verwaltung' },
  signedInAs: (name, role) => `${name} (${roles[role]})`,
  logout: 'Abmelden',
  languageNav: 'Sprache',
  sessionExpired: 'Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.',
  notStaffApp: 'Dieses Dashboard ist für Koordinierende und Admins. Einsatzkräfte nutzen die Ansicht fürs Telefon:',
  responderLink: 'Meine Aufträge',
  login: {
    heading: 'Bei Wegfrei anmelden',
    intro: 'Für Koordinierende und Admins der Organisationen, die Wegfrei nutzen.',
    email: 'E-Mail',
    password: 'Passwort',
    submit: 'Anmelden',
    signingIn: 'Anmeldung läuft …',
    wrong: 'E-Mail oder Passwort stimmen nicht.',
    throttled: (s) =>
      s
        ? `Zu viele Versuche. Bitte warten Sie ${plural(Math.ceil(s), 'Sekunde', 'Sekunden')} und versuchen Sie es dann noch einmal.`
        : 'Zu viele Versuche. Bitte warten Sie einen Moment und versuchen Sie es dann noch einmal.',
    failed: 'Die Anmeldung ist fehlgeschlagen: Der Server war nicht erreichbar.',
  },

  status: (s) => status[s] ?? s,
  transition: (s) => transition[s] ?? s,
  severity: (kind, s) => severity[kind]?.[s] ?? String(s),
  kind: (k) => (k === 'help' ? 'Hilfegesuch' : 'Barriere'),
  role: (r) => roles[r] ?? r,
  reportNo: (id) => `#${id}`,
  date: (iso) => formatDate(iso),
  ago: (iso) => {
    const min = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 60_000));
    if (min < 1) return 'gerade eben';
    const rtf = new Intl.RelativeTimeFormat(language(), { style: 'short' });
    if (min < 60) return rtf.format(-min, 'minute');
    if (min < 48 * 60) return rtf.format(-Math.round(min / 60), 'hour');
    return rtf.format(-Math.round(min / 1440), 'day');
  },

  filters: 'Filter',
  category: 'Kategorie',
  kindLabel: 'Art',
  statusLabel: 'Status',
  any: 'Alle',
  openStatuses: 'Offen',
  allStatuses: 'Alle Status',
  barriers: 'Barrieren',
  helpRequests: 'Hilfegesuche',

  searchLabel: 'Meldungen suchen',
  searchHint: 'Eine Meldungsnummer (3001 oder #3001), Wörter aus der Beschreibung oder einer Notiz, oder eine Adresse.',
  searchButton: 'Suchen',
  numberFound: (id, state) => `Meldung #${id} (${state}).`,
  numberOutside: 'Mit diesen Filtern steht sie nicht in der Liste.',
  numberMissing: (id) => `Es gibt keine Meldung #${id}, oder Sie dürfen sie nicht sehen.`,
  openNumber: (id) => `Meldung #${id} öffnen`,
  moreFilters: (on) => (on ? `Weitere Filter (${on} aktiv)` : 'Weitere Filter'),
  teamFilter: 'Team',
  channelFilter: 'Kanal',
  anyTeam: 'Alle Teams',
  noTeamAssigned: 'Kein Team',
  assigneeFilter: 'Zugewiesen an',
  anyone: 'Alle',
  nobodyInParticular: 'Niemandem persönlich',
  createdFrom: 'Erstellt ab',
  createdTo: 'Erstellt bis',
  datesReversed: 'Das Enddatum liegt vor dem Anfangsdatum.',
  mapAreaButton: 'Nur dieser Kartenausschnitt',
  mapAreaOn: 'Nur der gewählte Kartenausschnitt',
  mapAreaUpdate: 'Aktuellen Kartenausschnitt verwenden',
  clearFilters: 'Filter zurücksetzen',
  queueShowing: (shown, total, count, which) => {
    const adjective: Record<Status | 'open' | 'all', string> = {
      open: 'offenen ',
      all: '',
      new: 'neuen ',
      verified: 'geprüften ',
      assigned: 'zugewiesenen ',
      in_progress: 'in Bearbeitung befindlichen ',
      resolved: 'erledigten ',
      rejected: 'abgelehnten ',
      duplicate: 'doppelt gemeldeten ',
    };
    return `Angezeigt: ${shown} von ${total} ${adjective[which]}${count === 1 ? 'Meldung' : 'Meldungen'}`;
  },
  queueNoneFound: (which) =>
    which === 'open'
      ? 'Keine offenen Meldungen'
      : which === 'all'
        ? 'Keine Meldungen'
        : `Keine Meldungen mit dem Status „${status[which]}“`,
  filteredBy: (parts) => `Filter: ${parts.join('; ')}.`,
  saysCategory: (label) => `Kategorie ${label}`,
  saysKind: (kind) => (kind === 'help' ? 'nur Hilfegesuche' : 'nur Barrieren'),
  saysTeam: (name) => `Team ${name}`,
  saysChannel: (label) => `Kanal ${label}`,
  saysNoTeam: 'kein Team',
  saysAssignee: (name) => `zugewiesen an ${name}`,
  saysNobody: 'niemandem persönlich zugewiesen',
  saysCreated: (from, to) =>
    from && to ? `erstellt vom ${from} bis ${to}` : from ? `erstellt ab ${from}` : `erstellt bis ${to ?? ''}`,
  saysSearch: (q) => `passend zu „${q}“`,
  saysArea: 'im gewählten Kartenausschnitt',
  loadMoreOf: (next, left) => `Die nächsten ${next} zeigen (noch ${left})`,

  mapLabel: 'Karte der Meldungen',
  zoomIn: 'Vergrößern',
  zoomOut: 'Verkleinern',
  mapHelp:
    'Pfeiltasten verschieben, + und − zoomen. Die Meldungen auf der Karte stehen auch in der Sichtungsliste. Mit Tab verlassen Sie die Karte.',
  mapSummary: (reports, clusters) =>
    reports === 0
      ? 'Keine Meldungen in diesem Kartenausschnitt.'
      : clusters > 0
        ? `${plural(reports, 'Meldung', 'Meldungen')} in diesem Kartenausschnitt, in ${plural(clusters, 'Gruppe', 'Gruppen')}.`
        : `${plural(reports, 'Meldung', 'Meldungen')} in diesem Kartenausschnitt.`,
  tilesFailed: 'Die Kartenbilder konnten nicht geladen werden; die Meldungen werden trotzdem gezeigt.',
  legend: 'Legende',
  legendBarrier: 'Barrieren',
  legendHelp: 'Hilfegesuche',
  legendMixed: 'Ring: Anteil der Barrieren (blau) und Hilfegesuche (orange)',
  legendSeverity: (s) => ['', 'Höchster Schweregrad 1', 'Höchster Schweregrad 2', 'Höchster Schweregrad 3'][s] ?? '',
  legendClosed: 'Abgeschlossen (erledigt, abgelehnt, doppelt)',
  clusterHeading: (count) => `${plural(count, 'Meldung', 'Meldungen')} hier`,
  clusterMore: (shown, total) => `${n(shown)} von ${n(total)} angezeigt. Zoomen Sie hinein, um den Rest zu sehen.`,

  queueHeading: 'Sichtungsliste',
  queueCaption: (count) => `${plural(count, 'offene Meldung', 'offene Meldungen')}, die dringendsten zuerst`,
  queueEmpty: 'Keine Meldungen passen zu den Filtern.',
  queueFailed: 'Die Liste konnte nicht geladen werden.',
  reload: 'Neu laden',
  loadMore: 'Die nächsten 100 laden',
  colSelect: 'Auswahl',
  colReport: 'Meldung',
  colPriority: 'Priorität',
  colSeverity: 'Schweregrad',
  colStatus: 'Status',
  selectRow: (id) => `Meldung ${id} auswählen`,
  selectAll: 'Alle Meldungen der Liste auswählen',
  assignTeam: 'Team für „Zuweisen“',
  noTeam: 'Team wählen',
  selected: (count) => `${plural(count, 'Meldung', 'Meldungen')} ausgewählt`,
  bulkVerify: 'Auswahl prüfen',
  bulkReject: 'Auswahl ablehnen',
  bulkAssign: 'Auswahl dem Team zuweisen',
  chooseTeamFirst: 'Wählen Sie zuerst das Team für „Zuweisen“.',
  notAllowed: (id, s) => `Meldung ${id} kann aus ihrem jetzigen Status nicht auf „${status[s]}“ gesetzt werden.`,
  changed: (id, what) => `Meldung ${id}: ${what}.`,
  newReport: (label, sev) => `Neue Meldung: ${label}, ${sev}`,
  newReports: (count) => `${plural(count, 'neue Meldung', 'neue Meldungen')} in der Liste.`,
  shortcutsButton: 'Tastenkürzel',
  shortcutsHeading: 'Tastenkürzel',
  shortcutsIntro: 'In der Sichtungsliste. Während Sie in ein Feld schreiben, tun sie nichts.',
  close: 'Schließen',
  shortcuts: [
    ['j oder ↓', 'Nächste Meldung'],
    ['k oder ↑', 'Vorige Meldung'],
    ['Enter', 'Details der Meldung öffnen'],
    ['v', 'Prüfen'],
    ['r', 'Ablehnen (die Nachricht bietet 8 Sekunden lang „Rückgängig“)'],
    ['u', 'Das letzte Prüfen, Ablehnen, Zuweisen oder Als-doppelt-Markieren rückgängig machen'],
    ['a', 'Dem oben gewählten Team zuweisen'],
    ['d', 'Als doppelt markieren (fragt nach der ursprünglichen Meldung)'],
    ['x', 'Für Sammelaktionen auswählen oder abwählen'],
    ['Umschalt + V', 'Alle ausgewählten Meldungen prüfen'],
    ['Escape', 'Details schließen und zur Liste zurückkehren'],
    ['?', 'Diese Hilfe zeigen'],
  ],
  duplicateHeading: (id) => `Meldung ${id} ist doppelt zu …`,
  duplicateLabel: 'Nummer der ursprünglichen Meldung',
  duplicateSubmit: 'Als doppelt markieren',
  cancel: 'Abbrechen',
  invalidId: 'Geben Sie die Nummer einer anderen Meldung ein.',

  detailHeading: (label, id) => `${label} #${id}`,
  closeDetail: 'Details schließen',
  detailFailed: 'Die Meldung konnte nicht geladen werden.',
  facts: {
    status: 'Status',
    severity: 'Schweregrad',
    kind: 'Art',
    priority: 'Priorität',
    passability: 'Passierbar',
    people: 'Personen',
    address: 'Adresse',
    location: 'Ort',
    reported: 'Gemeldet',
    updated: 'Geändert',
    confirmations: 'Bestätigungen',
    contact: 'Kontakt',
    team: 'Team',
    person: 'Person',
    duplicateOf: 'Doppelt zu',
    deployment: 'Einsatz',
  },
  confirmations: (c) => `${n(c.still_there)} noch da, ${n(c.gone)} weg`,
  none: '—',
  noContact: 'keiner angegeben',
  publicPage: 'Öffentliche Seite',
  description: 'Beschreibung',
  noDescription: 'Keine Beschreibung.',
  photos: 'Fotos',
  photoAlt: (i, id) => `Foto ${i} der Meldung ${id}`,
  actions: 'Aktionen',
  changeStatus: 'Status ändern',
  noTransitions: 'Von hier ist keine Statusänderung möglich.',
  assignHeading: 'Zuweisen',
  teamLabel: 'Team',
  personLabel: 'Person',
  nobody: 'Niemand',
  assign: 'Zuweisen',
  severityLabel: 'Schweregrad',
  correctHeading: 'Korrigieren',
  saveCorrection: 'Korrektur speichern',
  statusNote: 'Notiz zur Änderung (optional)',
  publicNoteLabel: 'Hinweis für die Öffentlichkeit (auf der Seite der Meldung)',
  publicNoteHint:
    'Wird mit „Erledigen“ gesendet. Alle können ihn lesen: keine Namen, Telefonnummern oder anderes Privates.',
  attentionFlag: 'Bitte prüfen: wieder geöffnet oder gemeldet',
  duplicateOfLabel: 'Doppelt zu Meldung Nummer',
  notesHeading: 'Interne Notizen',
  noNotes: 'Noch keine Notizen.',
  noteLabel: 'Notiz hinzufügen (nur für Mitarbeitende)',
  addNote: 'Notiz hinzufügen',
  noteAdded: 'Notiz hinzugefügt.',
  fixPhotoHeading: 'Foto der Behebung',
  fixPhotoLabel: 'Foto der Behebung hinzufügen',
  fixPhotoHint:
    'Bis zu 5 Fotos, je 15 MB. Veröffentlicht erscheinen sie als „Nachher“-Fotos auf der öffentlichen Seite.',
  fixPhotoSend: 'Foto hochladen',
  fixPhotoNone: 'Bitte zuerst ein Foto wählen.',
  fixPhotoSending: (n) => (n === 1 ? '1 Foto wird hochgeladen…' : `${n} Fotos werden hochgeladen…`),
  fixPhotoAdded: (n) =>
    n === 1
      ? 'Foto hinzugefügt. Unter „Veröffentlichung“ veröffentlichen, damit es sichtbar wird.'
      : `${n} Fotos hinzugefügt. Unter „Veröffentlichung“ veröffentlichen, damit sie sichtbar werden.`,
  fixPhotoFailed: 'Das Foto konnte nicht hinzugefügt werden.',
  historyHeading: 'Verlauf',
  noHistory: 'Noch keine Änderungen.',
  public: 'Bürger*in',
  system: 'System',
  historyLine: (field, from, to, action) =>
    moderationHistory(action, field, from, to) ??
    (field ? `${field}: ${from ?? '—'} → ${to ?? '—'}` : action.replace(/_/g, ' ')),
  saved: 'Gespeichert.',
  saveFailed: 'Die Änderung konnte nicht gespeichert werden.',
  working: 'Wird gespeichert …',

  liveConnected: 'Live',
  liveReconnecting: 'Verbindung wird wiederhergestellt …',
  liveLabel: 'Live-Aktualisierungen',

  deploymentsHeading: 'Einsätze',
  hotspotsHeading: 'Schwerpunkte offener Meldungen',
  distanceLabel: 'Abstand zwischen Meldungen (m)',
  minReportsLabel: 'Mindestzahl an Meldungen',
  findHotspots: 'Schwerpunkte im Ausschnitt finden',
  hotspotsFound: (count) =>
    count
      ? `${plural(count, 'Schwerpunkt', 'Schwerpunkte')} in diesem Kartenausschnitt.`
      : 'Keine Schwerpunkte im Ausschnitt.',
  hotspotItem: (count, weight, sev) =>
    `${plural(count, 'Meldung', 'Meldungen')}, Gewicht ${n(weight)}, höchster Schweregrad ${sev}`,
  showHotspot: 'Zeigen',
  useHotspot: 'Als Gebiet verwenden',
  createHeading: 'Einsatz anlegen',
  nameLabel: 'Name',
  areaLabel: 'Gebiet',
  noArea: 'Noch kein Gebiet gewählt.',
  areaFromHotspot: (count) => `Schwerpunkt mit ${plural(count, 'Meldung', 'Meldungen')}.`,
  areaFromView: 'Der aktuelle Kartenausschnitt.',
  areaDrawn: (count) => `Gebiet mit ${plural(count, 'Ecke', 'Ecken')} gezeichnet.`,
  drawArea: 'Gebiet auf der Karte zeichnen',
  useView: 'Aktuellen Kartenausschnitt als Gebiet verwenden',
  drawing:
    'Zeichnen: Klicken Sie auf die Karte, um Ecken zu setzen. Enter oder Doppelklick beendet, die Rücktaste entfernt die letzte Ecke, Escape bricht ab.',
  drawTooFew: 'Ein Gebiet braucht mindestens 3 Ecken.',
  drawCancelled: 'Zeichnen abgebrochen.',
  createSubmit: 'Einsatz anlegen',
  deploymentCreated: (name, count) =>
    `Einsatz „${name}“ angelegt; ${plural(count, 'Meldung', 'Meldungen')} zugewiesen.`,
  needName: 'Geben Sie einen Namen ein.',
  needTeam: 'Wählen Sie ein Team.',
  needArea: 'Wählen Sie ein Gebiet: einen Schwerpunkt, ein gezeichnetes Gebiet oder den Kartenausschnitt.',
  listHeading: 'Einsätze',
  noDeployments: 'Noch keine Einsätze.',
  colName: 'Name',
  colTeam: 'Team',
  colOpen: 'Offen / alle',
  colCreated: 'Angelegt',
  showArea: 'Zeigen',
  deploymentStatus: (s) => (s === 'active' ? 'Aktiv' : s === 'closed' ? 'Abgeschlossen' : s),

  overviewHeading: 'Übersicht',
  daysLabel: 'Zeitraum',
  days: (d) => `Letzte ${n(d)} Tage`,
  byCategory: 'Meldungen nach Kategorie und Status',
  total: 'Gesamt',
  perDay: 'Neu und erledigt pro Tag',
  created: 'Neu',
  resolvedLabel: 'Erledigt',
  day: 'Tag',
  chartLabel: (d, created, resolved) =>
    `Diagramm: ${plural(created, 'Meldung', 'Meldungen')} neu und ${n(resolved)} erledigt in den letzten ${n(d)} Tagen. Dieselben Zahlen stehen in der Tabelle darunter.`,
  showTable: 'Die Zahlen als Tabelle zeigen',
  median: 'Mittlere Zeit bis zur Erledigung (Median)',
  medianValue: (hours) =>
    hours === null
      ? 'In diesem Zeitraum wurde keine Meldung erledigt.'
      : hours < 48
        ? `${decimal(hours)} Stunden`
        : `${decimal(hours / 24)} Tage`,
  periodPhrase: (days, from, to) =>
    days === 1 ? `heute (${to})` : `in den letzten ${n(days)} Tagen (${from} – ${to})`,
  periodSummary: (period, created, resolved) =>
    `${plural(created, 'Meldung', 'Meldungen')} ${period} eingegangen, ${n(resolved)} erledigt.`,
  byCategoryIn: (period) => `Meldungen, die ${period} eingingen, nach Kategorie und heutigem Status`,
  perDayIn: (period) => `Eingegangen und erledigt pro Tag, ${period}`,
  noneCreated: (period) => `${period.charAt(0).toUpperCase()}${period.slice(1)} ist keine Meldung eingegangen.`,
  bySourceHeading: 'Meldungen nach Kanal',
  bySourceIn: (period) => `Meldungen, die ${period} eingingen, nach Kanal`,
  fixChecksHeading: 'Von Bürgerinnen und Bürgern bestätigte Behebungen',
  fixChecksIntro: (period) =>
    `Was Bürgerinnen und Bürger ${period} auf die Frage „Ist es wirklich behoben?“ nach einer Erledigung antworteten.`,
  fixChecksNone: (period) => `${period.charAt(0).toUpperCase()}${period.slice(1)} hat niemand geantwortet.`,
  fixChecksByTeam: 'Antworten nach dem Team, das die Meldung erledigt hat',
  fixChecksByArea: 'Antworten nach Gebiet',
  fixChecksNoAreas: 'Nach Gebiet, sobald Bezirke importiert sind (npm run areas:import; docs/STATS.md).',
  teamColumn: 'Team',
  areaColumn: 'Gebiet',
  fixedColumn: 'Behoben',
  notFixedColumn: 'Nicht behoben',
  shareColumn: 'Anteil bestätigt',
  fixChecksNoTeam: 'Kein Team',
  outsideAreas: 'Außerhalb aller Gebiete',
  reportsColumn: 'Meldungen',
  source: (s) => source[s] ?? s,
  noneResolved: (period) => `${period.charAt(0).toUpperCase()}${period.slice(1)} wurde keine Meldung erledigt.`,
  medianOf: (resolved, period) =>
    `Der Median der ${plural(resolved, 'Meldung', 'Meldungen')}, die ${period} erledigt wurden.`,
  clusterAt: (count, place) => `${plural(count, 'Meldung', 'Meldungen')} ${place}`,
  placeStreet: (street) => `bei ${street}`,
  placeInArea: (name) => `im Gebiet „${name}“`,
  placeNearArea: (name) => `beim Gebiet „${name}“`,
  placeAt: (coordinate) => `bei ${coordinate}`,
  coordinate: (lat, lon) =>
    `${decimal3(Math.abs(lat))}° ${lat < 0 ? 'S' : 'N'}, ${decimal3(Math.abs(lon))}° ${lon < 0 ? 'W' : 'O'}`,
  clusterNone: 'Keine Meldung hier passt zu den aktuellen Filtern.',

  adminHeading: 'Verwaltung',
  usersHeading: 'Benutzer',
  teamsHeading: 'Teams',
  colEmail: 'E-Mail',
  colRole: 'Rolle',
  colState: 'Zustand',
  colActions: 'Aktionen',
  active: 'Aktiv',
  disabled: 'Deaktiviert',
  disable: 'Deaktivieren',
  enable: 'Aktivieren',
  resetPassword: 'Passwort zurücksetzen',
  newPasswordFor: (name) => `Neues Passwort für ${name}`,
  passwordHint: 'Mindestens 12 Zeichen. Teilen Sie es der Person über einen sicheren Weg mit.',
  savePassword: 'Passwort setzen',
  addUserHeading: 'Benutzer hinzufügen',
  userName: 'Name',
  userEmail: 'E-Mail',
  userRole: 'Rolle',
  userTeam: 'Team',
  userPassword: 'Erstes Passwort',
  addUser: 'Benutzer hinzufügen',
  userAdded: (name) => `${name} wurde hinzugefügt.`,
  userChanged: (name) => `${name} wurde geändert.`,
  teamName: 'Name des Teams',
  addTeam: 'Team hinzufügen',
  teamAdded: (name) => `Team „${name}“ wurde hinzugefügt.`,
  noTeams: 'Noch keine Teams.',
  members: (count) => plural(count, 'Mitglied', 'Mitglieder'),

  noticesEarlier: 'Frühere Nachrichten',
  noticeDismiss: 'Nachricht schließen',
  noConnection: 'Keine Verbindung zum Server. Prüfen Sie das Netzwerk und versuchen Sie es noch einmal.',
  serverTrouble: (code) => `Der Server hatte ein Problem (Fehler ${code}). Bitte versuchen Sie es gleich noch einmal.`,
  notPermitted: 'Ihr Konto darf das nicht.',
  fieldNames: {
    password: 'Das Passwort',
    email: 'Die E-Mail-Adresse',
    name: 'Der Name',
    role: 'Die Rolle',
    team_id: 'Das Team',
    disabled: 'Der Zustand des Kontos',
    status: 'Der Status',
    assigned_team_id: 'Das Team',
    assigned_user_id: 'Die Person',
    duplicate_of: 'Die ursprüngliche Meldung',
    severity: 'Der Schweregrad',
    category: 'Die Kategorie',
    note: 'Die Notiz',
    body: 'Die Notiz',
    ids: 'Die Liste der Meldungen',
    area: 'Das Gebiet',
  },
  fieldUnknown: (name) => `Das Feld „${name}“`,
  changeFailed: (id) => `Meldung ${id} konnte nicht geändert werden.`,
  duplicateFailed: (id, original) => `Meldung ${id} konnte nicht als doppelt zu Meldung ${original} markiert werden.`,
  statusNow: (id, s) => `Meldung ${id} ist jetzt „${status[s] ?? s}“.`,
  rejectedNow: (id) => `Meldung ${id} ist abgelehnt und nicht mehr auf der öffentlichen Karte.`,
  undo: 'Rückgängig',
  undoing: (id) => `Die Änderung an Meldung ${id} wird rückgängig gemacht …`,
  undone: (id, s) => `Rückgängig gemacht: Meldung ${id} ist wieder „${status[s] ?? s}“.`,
  undoFailed: (id) => `Die Änderung an Meldung ${id} konnte nicht rückgängig gemacht werden.`,
  bulkOutcome: (ok, failed) =>
    [
      ok.length
        ? `${plural(ok.length, 'Meldung', 'Meldungen')} geändert (${ok.map((id) => `#${id}`).join(', ')}).`
        : '',
      failed.length
        ? `Nicht geändert: ${failed.map((f) => `Meldung ${f.id} (${f.why.replace(/\.$/, '')})`).join('; ')}.`
        : '',
    ]
      .filter(Boolean)
      .join(' '),
  cannotGo: (from, to) => `von „${status[from] ?? from}“ geht es nicht zu „${status[to] ?? to}“`,
  noSuchReport: 'diese Meldung gibt es nicht',
  needAssignee:
    'Wählen Sie zuerst ein Team oder eine Person: Eine zugewiesene Meldung braucht jemanden, der sie erledigt.',
  markAssignedHint: 'Wählen Sie zuerst unter „Zuweisen“ ein Team oder eine Person.',
  noteFailed: 'Die Notiz konnte nicht hinzugefügt werden.',
  userChangeFailed: (name) => `${name} konnte nicht geändert werden.`,
  userAddFailed: 'Der Benutzer konnte nicht hinzugefügt werden.',
  teamAddFailed: 'Das Team konnte nicht hinzugefügt werden.',
  usersLoadFailed: 'Die Liste der Benutzer konnte nicht geladen werden.',
  saveUser: 'Speichern',
  saveUserLabel: (name) => `Rolle und Team von ${name} speichern`,
  unsaved: 'Noch nicht gespeichert',
  roleConfirmHeading: (name) => `Die Rolle von ${name} ändern?`,
  roleConfirmText: (name, from, to) =>
    `${name} hat jetzt die Rolle ${roles[from]} und bekommt die Rolle ${roles[to]}. ${
      to === 'responder'
        ? 'Einsatzkräfte können dieses Dashboard nicht nutzen; sie sehen nur ihre eigenen Aufträge.'
        : to === 'admin'
          ? 'Admins können jedes Konto anlegen, ändern und deaktivieren.'
          : 'Koordinierende bearbeiten die Liste, verwalten aber keine Konten.'
    }`,
  roleConfirm: 'Rolle ändern',
  disableConfirmHeading: (name) => `Das Konto von ${name} deaktivieren?`,
  disableConfirmText:
    'Die Person wird sofort abgemeldet und kann sich erst wieder anmelden, wenn ein Admin das Konto aktiviert.',
  disableConfirm: 'Konto deaktivieren',
  rejectConfirmHeading: (id) => `Meldung ${id} ablehnen?`,
  rejectConfirmText: 'Die Meldung verschwindet sofort von der öffentlichen Karte, aus Listen und Exporten.',

  signedOut: 'Abgemeldet',
  pendingKept: (count) =>
    count === 1
      ? 'Ihre Sitzung ist abgelaufen. Melden Sie sich erneut an, dann wird Ihre Änderung gespeichert.'
      : `Ihre Sitzung ist abgelaufen. Melden Sie sich erneut an, dann werden Ihre ${n(count)} Änderungen gespeichert.`,
  pendingSaved: (count) =>
    count === 1
      ? 'Wieder angemeldet. Ihre Änderung wurde gespeichert.'
      : `Wieder angemeldet. Ihre ${n(count)} Änderungen wurden gespeichert.`,
  pendingFailed: 'Wieder angemeldet, aber Ihre Änderung konnte nicht gespeichert werden.',
  pendingStale: (id) =>
    `Wieder angemeldet, aber Meldung ${id} wurde inzwischen von jemand anderem geändert; Ihre Änderung wurde deshalb nicht gesendet. Sehen Sie sie sich an und ändern Sie sie erneut, wenn es noch nötig ist.`,

  historyCitizen: 'Eine Bürgerin oder ein Bürger',
  historySomeone: 'Jemand',
  historyPublicNotFixed: 'Eine Bürgerin oder ein Bürger („nicht behoben“)',
  historyCreated: 'hat sie gemeldet',
  historyStatus: (from, to) =>
    from
      ? `hat den Status von „${status[from] ?? from}“ auf „${status[to] ?? to}“ geändert`
      : `hat den Status auf „${status[to] ?? to}“ gesetzt`,
  historyTeam: (from, to) =>
    to
      ? from
        ? `hat sie von Team ${from} an Team ${to} übergeben`
        : `hat sie Team ${to} zugewiesen`
      : `hat sie Team ${from ?? '—'} entzogen`,
  historyPerson: (from, to) =>
    to
      ? from
        ? `hat sie ${to} statt ${from} gegeben`
        : `hat sie ${to} zugewiesen`
      : `hat sie ${from ?? '—'} entzogen`,
  historyDuplicateOf: (id) =>
    id ? `hat sie als doppelt zu Meldung ${id} markiert` : 'hat die Markierung als doppelt aufgehoben',
  historyMerged: (id) => `hat Meldung ${id ?? '—'} als doppelt mit dieser zusammengeführt`,
  historySeverity: (kind, from, to) => {
    const word = (v: string | null) => (v ? `${v} (${severity[kind]?.[Number(v) as Severity] ?? v})` : '—');
    return `hat den Schweregrad von ${word(from)} auf ${word(to)} geändert`;
  },
  historyCategory: (from, to) => `hat die Kategorie von „${from}“ auf „${to}“ geändert`,
  historyNote: 'hat eine Notiz geschrieben:',
  historyNoteGone: 'hat eine Notiz geschrieben',
  historyPhotos: (count) => `hat ${plural(Number(count) || 1, 'Foto', 'Fotos')} hinzugefügt`,
  historyDeployed: (name, id) =>
    name ? `hat sie in den Einsatz „${name}“ aufgenommen` : `hat sie in Einsatz ${id ?? '—'} aufgenommen`,
  historyOther: (field, from, to) => `hat ${field.replace(/_/g, ' ')} von ${from ?? '—'} auf ${to ?? '—'} geändert`,
  plural,
};
