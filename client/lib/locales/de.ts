/** Deutsch. Anrede „Sie“, wie bei öffentlichen Diensten üblich; „Meldung“ für report. */
import type { Kind, Passability, Severity, Status } from '../api';
import { formatDate, formatDistance, formatNumber, formatPercent, plural } from '../i18n';
import type { Strings } from '../strings';

const severity: Record<Kind, Record<Severity, { label: string; hint: string }>> = {
  barrier: {
    1: { label: 'Lästig', hint: 'Man kommt vorbei, aber es ist lästig.' },
    2: { label: 'Schwer passierbar', hint: 'Viele kommen nur mit Hilfe vorbei.' },
    3: { label: 'Unpassierbar', hint: 'Mit Rollstuhl, Kinderwagen oder Rollator geht es nicht weiter.' },
  },
  help: {
    1: { label: 'Kann warten', hint: 'Hilfe in den nächsten Tagen reicht.' },
    2: { label: 'Bald nötig', hint: 'Hilfe wird heute gebraucht.' },
    3: { label: 'Dringend', hint: 'Hilfe wird jetzt gebraucht.' },
  },
};

const severityAny: Record<Severity, { label: string; hint: string }> = {
  1: { label: 'Lästig', hint: 'Man kommt vorbei, oder die Hilfe kann warten.' },
  2: {
    label: 'Schwer passierbar / bald nötig',
    hint: 'Viele kommen nur mit Hilfe vorbei, oder Hilfe wird heute gebraucht.',
  },
  3: {
    label: 'Unpassierbar / dringend',
    hint: 'Mit Rollstuhl oder Kinderwagen kommt niemand vorbei, oder Hilfe wird jetzt gebraucht.',
  },
};

const status: Record<Status, string> = {
  new: 'Neu',
  verified: 'Geprüft',
  assigned: 'Einem Team zugewiesen',
  in_progress: 'In Bearbeitung',
  resolved: 'Erledigt',
  rejected: 'Abgelehnt',
  duplicate: 'Doppelt gemeldet',
};

const passability: Record<Passability | 'unknown', string> = {
  yes: 'Ja, mit Vorsicht',
  limited: 'Nur mit Hilfe oder großer Mühe',
  no: 'Nein, gar nicht',
  unknown: 'Weiß ich nicht',
};

const fieldNames: Record<string, string> = {
  lat: 'Breitengrad',
  lon: 'Längengrad',
  accuracy_m: 'Genauigkeit',
  address: 'Adresse',
  category: 'Kategorie',
  kind: 'Art',
  severity: 'Schweregrad',
  passability: 'Passierbarkeit',
  people_count: 'Anzahl der Personen',
  description: 'Beschreibung',
  contact: 'Kontakt',
  photos: 'Foto',
};

const coords = (lat: number, lon: number) => `${lat.toFixed(5)}, ${lon.toFixed(5)}`;
const n = (x: number) => formatNumber(x, { useGrouping: 'min2' });
const reports = (x: number) => `${n(x)} ${plural(x, { one: 'Meldung', other: 'Meldungen' })}`;

export const de: Strings = {
  appName: 'Wegfrei',
  tagline: 'Barrieren und Hilfe auf einer Karte',
  skipToForm: 'Zum Meldeformular springen',
  skipToContent: 'Zum Inhalt springen',
  title: 'Eine Barriere melden oder um Hilfe bitten',
  intro: 'Ohne Konto. Ihre Meldung erscheint auf der öffentlichen Karte, Ihre Kontaktdaten nie.',
  languageNav: 'Sprache',

  offline:
    'Sie sind offline. Sie können trotzdem melden: Die Meldung wird auf diesem Gerät gespeichert und von selbst gesendet, sobald Sie wieder online sind.',
  backOnline: 'Sie sind wieder online.',
  updated: 'Wegfrei wurde aktualisiert.',
  loadUpdate: 'Neue Version laden',
  install: 'Wegfrei als App installieren',

  placeHeading: 'Wo ist es?',
  locateMe: 'Standort ermitteln',
  locating: 'Ihr Standort wird ermittelt …',
  locateFailed:
    'Ihr Standort konnte nicht ermittelt werden. Tippen Sie stattdessen auf die Karte oder geben Sie Koordinaten ein.',
  locateUnsupported:
    'Dieser Browser kann Ihren Standort nicht teilen. Tippen Sie auf die Karte oder geben Sie Koordinaten ein.',
  pinAtCentre: 'Markierung in die Kartenmitte',
  mapLabel: 'Karte',
  mapHelp: 'Tippen Sie auf die Karte, um die Markierung dorthin zu setzen.',
  mapKeys:
    'Mit der Tastatur: Pfeiltasten verschieben die Karte, + und − zoomen, die Eingabetaste setzt die Markierung auf das Kreuz in der Mitte, Umschalt + Pfeiltasten rücken die Markierung ein Stück weiter, Escape verlässt die Karte.',
  zoomInTitle: 'Vergrößern',
  zoomOutTitle: 'Verkleinern',
  closePopup: 'Schließen',
  toList: 'Meldungen in diesem Kartenausschnitt als Liste',
  tilesFailed: 'Die Kartenbilder konnten nicht geladen werden; Sie können trotzdem Koordinaten eingeben.',
  noPlace: 'Noch kein Ort gewählt.',
  placeChosen: (lat, lon) => `Ort: ${coords(lat, lon)}`,
  accuracy: (m) => `±${formatDistance(m)}`,
  placeAnnounce: (lat, lon, accuracy) =>
    `Markierung gesetzt bei ${coords(lat, lon)}${accuracy !== null ? `, auf ${n(Math.round(accuracy))} Meter genau` : ''}.`,
  placeInputLabel: 'Adresse oder Koordinaten',
  placeInputHint:
    'Koordinaten wie „52.52, 13.40“ (Breite, Länge) setzen die Markierung dorthin. Eine Straßenadresse wird mit der Meldung gespeichert, versetzt die Markierung aber nicht.',
  placeApply: 'Übernehmen',
  addressSaved:
    'Adresse gespeichert. Bitte setzen Sie auch den Punkt auf der Karte (darauf tippen oder „Standort ermitteln“).',
  addressSavedWithPoint: 'Die Adresse wird mit der Meldung gesendet.',
  coordsOutOfRange: 'Die Breite muss zwischen −90 und 90 liegen, die Länge zwischen −180 und 180.',
  placeRequired: 'Wählen Sie einen Ort: Standort ermitteln, auf die Karte tippen oder Koordinaten eingeben.',

  categoryHeading: 'Was ist es?',
  barrierLegend: 'Barriere',
  helpLegend: 'Ich brauche Hilfe',
  categoryRequired: 'Wählen Sie aus, was Sie melden.',
  categoriesFailed:
    'Die Liste der Kategorien konnte nicht geladen werden. Prüfen Sie Ihre Verbindung und laden Sie die Seite neu.',

  detailsHeading: 'Details',
  severityLegend: 'Wie schlimm ist es?',
  severityLegendHelp: 'Wie dringend ist es?',
  severity: (kind, level) => (kind ? severity[kind][level] : severityAny[level]),
  severityRequired: 'Wählen Sie, wie schlimm es ist.',
  severityRequiredHelp: 'Wählen Sie, wie dringend es ist.',
  peopleInvalid: 'Geben Sie eine ganze Zahl von 1 bis 10.000 ein.',
  passabilityLegend: 'Kommt man mit dem Rollstuhl vorbei?',
  passability: (p) => passability[p],
  peopleLabel: 'Wie viele Menschen brauchen Hilfe?',
  descriptionLabel: 'Beschreibung (optional)',
  descriptionHint: 'Was ist im Weg, wo genau, seit wann?',
  descriptionHintHelp:
    'Was brauchen Sie, bis wann, für wie viele Menschen? Bitte ohne Adresse, Namen und Telefonnummern: Die Mitarbeitenden sehen den genauen Ort, und Ihr Kontakt gehört in das private Feld weiter unten.',
  charsLeft: (x) => `Noch ${n(x)} Zeichen`,
  photosLegend: 'Fotos (optional, bis zu 5)',
  takePhoto: 'Foto aufnehmen',
  choosePhotos: 'Aus der Galerie wählen',
  remove: 'Entfernen',
  whichPhoto: (i) => ` (Foto ${i})`,
  photoAlt: (i) => `Ihr gewähltes Foto ${i}`,
  photosTooMany: (skipped) =>
    `Höchstens 5 Fotos. ${skipped} ${plural(skipped, { one: 'Foto wurde', other: 'Fotos wurden' })} nicht hinzugefügt.`,
  photoTooBig: (name) => `${name} ist größer als 15 MB und wurde nicht hinzugefügt.`,
  photoNotImage: (name) => `${name} ist kein Bild und wurde nicht hinzugefügt.`,
  photoCount: (x) => `${x} von 5 Fotos gewählt.`,
  photoGpsSuggest: (lat, lon, distance) =>
    `Dieses Foto wurde bei ${coords(lat, lon)} aufgenommen${distance !== null ? ` (${formatDistance(distance)} von der Markierung entfernt)` : ''} – diesen Ort verwenden?`,
  usePhotoPlace: 'Diesen Ort verwenden',
  dismiss: 'Nein, danke',
  contactLabel: 'Ihr Kontakt (optional)',
  contactHint:
    'Telefon oder E-Mail, nur wenn Sie eine Antwort möchten. Nur die Mitarbeitenden sehen ihn – nie erscheint er auf der Karte oder der Seite der Meldung.',

  fieldName: (field, index) => {
    const name = fieldNames[field];
    if (!name) return null;
    return index !== null ? `${name} ${index + 1}` : field === 'photos' ? 'Fotos' : name;
  },
  fieldError: (name, detail) => (name && !/^\p{Lu}/u.test(detail) ? `${name}: ${detail}` : detail),

  nearbyHeading: 'Schon gemeldet?',
  nearbyIntro:
    'Diese offenen Meldungen derselben Art liegen im Umkreis von 50 m. Wenn eine davon Ihr Anliegen beschreibt, bestätigen Sie sie, statt eine neue zu senden.',
  nearbyAnnounce: (x) => `${x} ähnliche ${plural(x, { one: 'Meldung', other: 'Meldungen' })} in der Nähe.`,
  confirmInstead: 'Stattdessen diese bestätigen',
  confirmThanks: 'Danke! Sie haben bestätigt, dass das Problem noch besteht.',
  confirmFailed: 'Die Bestätigung konnte nicht gesendet werden. Bitte versuchen Sie es noch einmal.',

  send: 'Meldung senden',
  sending: (pct) => `Meldung wird gesendet … ${formatPercent(pct / 100)}`,
  sendOffline:
    'Die Meldung konnte nicht gesendet werden: keine Verbindung. Es geht nichts verloren – versuchen Sie es wieder, wenn Sie online sind.',
  sendServerError:
    'Der Server kann die Meldung gerade nicht annehmen. Es geht nichts verloren – bitte versuchen Sie es noch einmal.',
  retry: 'Noch einmal versuchen',
  keyReused:
    'Ein früherer Versuch dieser Meldung ist schon angekommen, bevor Sie sie geändert haben. Senden Sie noch einmal, um die geänderte Meldung als neue hinzuzufügen.',
  fixErrors: (x) => `Bitte korrigieren Sie ${x} ${plural(x, { one: 'Feld', other: 'Felder' })}.`,
  sentHeading: 'Danke – Ihre Meldung wurde gesendet',
  sentText: (id) => `Ihre Meldung hat die Nummer ${id}. Auf ihrer Seite sehen Sie, was damit geschieht.`,
  queuedHeading: 'Auf diesem Gerät gespeichert – wartet auf Versand',
  queuedText:
    'Gerade gibt es keine Verbindung. Ihre Meldung und ihre Fotos bleiben auf diesem Gerät und werden von selbst gesendet, sobald Sie wieder online sind – solange Wegfrei geöffnet ist oder beim nächsten Öffnen.',
  sentLater: (id) => `Ihre wartende Meldung wurde gesendet. Ihre Meldung hat die Nummer ${id}.`,
  viewReport: 'Seite der Meldung ansehen',
  reportAnother: 'Noch etwas melden',
  toMyReports: 'Meine Meldungen ansehen',

  reviewPending: 'Wartet auf Prüfung',
  sentHelpHeading: 'Ihre Anfrage ist bei der Koordination angekommen',
  sentPendingHelpText: (id) =>
    `Ihre Worte und Fotos bleiben privat, bis jemand aus der Koordination sie angesehen hat; dabei können Angaben entfernt werden, an denen man Sie erkennen könnte. Ihre Meldung hat die Nummer ${id}.`,
  sentPendingBarrierText: (id) =>
    `Jemand aus der Koordination sieht sie an, bevor sie auf der Karte erscheint. Sie hat die Nummer ${id}; Sie finden sie unter „Meine Meldungen“.`,
  reviewPendingState: (status) => (status ? `Wartet auf Prüfung · ${status}` : 'Wartet auf Prüfung'),
  reviewPendingWhyHelp: 'Ihre Worte und Fotos bleiben privat, bis jemand aus der Koordination sie angesehen hat.',
  reviewPendingWhyBarrier: 'Sie erscheint auf der Karte, sobald jemand aus der Koordination sie angesehen hat.',
  reviewDetailsPending: 'Details warten auf Prüfung',
  reviewDetailsPendingText:
    'Beschreibung, Zahl der Personen und Fotos werden gezeigt, sobald jemand aus der Koordination sie angesehen hat.',

  myReportsHeading: 'Meine Meldungen',
  myReportsIntro:
    'Meldungen, die von diesem Gerät gesendet wurden. Nur Sie sehen diese Liste; sie ist auf diesem Gerät gespeichert.',
  myReportsEmpty: 'Von diesem Gerät wurde noch keine Meldung gesendet.',
  waitingHeading: 'Warten auf Versand',
  waitingIntro: 'Auf diesem Gerät gespeichert; sie werden von selbst gesendet, sobald Sie online sind.',
  waitingFacts: (made, photos) => `Erstellt am ${made} · ${photos} ${plural(photos, { one: 'Foto', other: 'Fotos' })}`,
  waitingForConnection: 'Wartet auf eine Verbindung.',
  waitingRetry: 'Noch nicht gesendet; es wird erneut versucht.',
  waitingSending: 'Wird gesendet …',
  waitingRefused: (detail) => `Der Server hat sie nicht angenommen: ${detail}`,
  sendNow: 'Jetzt senden',
  sendNowOffline: 'Sie sind offline. Wartende Meldungen werden gesendet, sobald Sie wieder online sind.',
  deleteWaiting: 'Löschen',
  whichReport: (label) => ` („${label}“)`,
  confirmDelete: 'Diese Meldung vom Gerät löschen? Sie wurde noch nicht gesendet.',
  confirmDeleteYes: 'Ja, löschen',
  keepIt: 'Behalten',
  deletedWaiting: 'Die Meldung wurde von diesem Gerät gelöscht.',
  sentListHeading: 'Gesendet',
  myReportFacts: (id, sent) => `Meldung ${id} · gesendet am ${sent}`,
  statusAsOf: (s, when) => `${s} (Stand: ${when})`,
  statusChecking: 'Status wird abgefragt …',
  statusUnknown: 'Status noch unbekannt.',
  reportWithdrawn: 'Nicht mehr öffentlich (entfernt oder abgelehnt).',

  listHeading: 'Meldungen in diesem Kartenausschnitt',
  listCount: (x, more) =>
    x === 0
      ? 'Keine Meldungen in diesem Kartenausschnitt.'
      : `${n(x)}${more ? '+' : ''} ${plural(x, { one: 'Meldung', other: 'Meldungen' })} in diesem Kartenausschnitt.`,
  listMore: 'Die ersten 100 werden gezeigt – zoomen Sie hinein, um die übrigen zu sehen.',
  listFailed: 'Die Meldungen konnten nicht geladen werden.',
  clusterCount: (total, groups) =>
    total === 0
      ? 'Keine Meldungen in diesem Kartenausschnitt.'
      : `${reports(total)} in diesem Kartenausschnitt, in ${n(groups)} ${plural(groups, { one: 'Gruppe', other: 'Gruppen' })}. Zoomen Sie hinein, um einzelne Meldungen zu sehen.`,
  clusterTitle: (x) => `${reports(x)} hier`,
  clusterFacts: (barriers, help, worst) =>
    `${n(barriers)} ${plural(barriers, { one: 'Barriere', other: 'Barrieren' })}, ${n(help)} ${plural(help, { one: 'Hilfegesuch', other: 'Hilfegesuche' })} · schwerste Stufe: ${worst}`,
  zoomIn: 'Hier hineinzoomen',
  away: (m) => `${formatDistance(m)} entfernt`,
  fromCentre: (m) => `${formatDistance(m)} von der Kartenmitte`,
  newTab: ' (öffnet in einem neuen Tab)',
  openReport: 'Seite der Meldung öffnen',
  severityShort: (kind, level) => severity[kind][level].label,
  status: (s) => status[s] ?? s,

  reportTitle: (label) => `${label} – Wegfrei`,
  backToMap: 'Zurück zur Karte',
  loading: 'Wird geladen …',
  notFoundHeading: 'Meldung nicht gefunden',
  notFoundText: 'Diese Meldung gibt es nicht oder sie wurde entfernt. Vielleicht ist der Link falsch.',
  loadFailedHeading: 'Die Meldung konnte nicht geladen werden',
  loadFailed: 'Prüfen Sie Ihre Verbindung und laden Sie die Seite neu.',
  statusLabel: 'Status',
  severityLabel: 'Schweregrad',
  passabilityLabel: 'Mit dem Rollstuhl passierbar',
  peopleCountLabel: 'Menschen, die Hilfe brauchen',
  addressLabel: 'Adresse',
  reportedLabel: 'Gemeldet',
  updatedLabel: 'Zuletzt geändert',
  locationHeading: 'Ort',
  approximate: (grid) =>
    `Hilfegesuche werden zum Schutz der Hilfesuchenden nur ungefähr gezeigt (auf ein Raster von ${formatDistance(grid)} gerundet).`,
  photosHeading: 'Fotos',
  reportPhotoAlt: (i, label) => `Foto ${i} der Meldung „${label}“`,
  confirmHeading: 'Besteht das Problem noch?',
  confirmCounts: (c) =>
    c.still_there + c.gone === 0
      ? 'Noch hat niemand geantwortet.'
      : `${n(c.still_there)} ${plural(c.still_there, { one: 'Person sagt', other: 'Personen sagen' })}, es ist noch da; ${n(c.gone)} ${plural(c.gone, { one: 'sagt', other: 'sagen' })}, es ist weg.`,
  stillThere: 'Noch da',
  gone: 'Nicht mehr da',
  confirmRecorded: 'Danke, Ihre Antwort wurde gespeichert.',
  storyHeading: 'Was geschah',
  storyStep: (step, team, byPublic) =>
    ({
      reported: 'Gemeldet',
      published: 'Von der Koordination geprüft und veröffentlicht',
      verified: 'Von der Koordination bestätigt',
      assigned: team ? `An das Team „${team}“ übergeben` : 'An ein Team übergeben',
      in_progress: 'Arbeit begonnen',
      resolved: 'Erledigt',
      reopened: byPublic ? 'Wieder geöffnet: Jemand sagt, es ist nicht behoben' : 'Wieder geöffnet',
      duplicate: 'Als Wiederholung einer früheren Meldung markiert',
      merged: 'Eine spätere Meldung derselben Sache wurde hier zusammengeführt',
    })[step] ?? step,
  storyByVolunteers: 'Von Freiwilligen bestätigt',
  resolutionNoteLabel: 'Hinweis des Teams:',
  nextHeading: 'Wie es weitergeht',
  whatNext: (status, kind) =>
    kind === 'help'
      ? {
          new: 'Die Koordination liest die Anfrage und gibt sie an ein Team weiter, das helfen kann. Der Text wird erst nach dieser Prüfung gezeigt.',
          verified: 'Die Koordination gibt die Anfrage an ein Team weiter, das helfen kann.',
          assigned: 'Ein Team hat die Anfrage und meldet sich oder kommt vorbei.',
          in_progress: 'Das Team kümmert sich jetzt darum.',
          resolved: 'Das Team sagt, die Person hat Hilfe bekommen.',
          duplicate: 'Diese Anfrage wiederholt eine frühere. Dort geht es weiter.',
          rejected: '',
        }[status]
      : {
          new: 'Die Koordination sieht sich die Meldung an und gibt sie an das zuständige Team. Wenn Sie vorbeikommen, sagen Sie unten, ob es noch da ist.',
          verified: 'Die Meldung wurde bestätigt. Als Nächstes gibt die Koordination sie an ein Team, das es behebt.',
          assigned: 'Ein Team hat die Meldung und kommt, um es zu beheben.',
          in_progress: 'Das Team arbeitet gerade daran.',
          resolved: 'Das Team sagt, es ist behoben. Wenn Sie vorbeikommen, sagen Sie uns unten, ob das stimmt.',
          duplicate: 'Diese Meldung wiederholt eine frühere. Dort geht die Arbeit weiter.',
          rejected: '',
        }[status],
  whatNextReopened: (kind) =>
    kind === 'help'
      ? 'Jemand hat gesagt, dass die Person noch Hilfe braucht. Die Koordination sieht sich die Anfrage noch einmal an.'
      : 'Jemand hat gesagt, dass es nicht behoben ist. Die Koordination prüft die Behebung noch einmal und gibt die Meldung wieder an ein Team.',
  duplicateIntro: 'Dasselbe wurde schon früher gemeldet. Zur früheren Meldung:',
  beforeHeading: 'Vorher',
  afterHeading: 'Nach der Behebung',
  afterEarlierHeading: 'Nach einer früheren Behebung',
  afterPhotoAlt: (i, label) => `Foto ${i} von „${label}“ nach der Behebung`,
  fixHeading: 'Ist es wirklich behoben?',
  fixIntro: 'Das Team sagt, es ist behoben. Wenn Sie seitdem dort waren, sagen Sie uns, ob das stimmt.',
  fixYes: 'Ja, es ist behoben',
  fixNo: 'Nein, es ist nicht behoben',
  fixPhotoLabel: 'Ein Foto, wie es jetzt aussieht (freiwillig)',
  fixPhotoHint: 'Die Koordination sieht sich das Foto an, bevor andere es sehen können.',
  fixSend: '„Nicht behoben“ senden',
  fixCancel: 'Abbrechen',
  fixRecorded: 'Danke. Ihre Antwort wurde gespeichert.',
  fixReopened: 'Danke. Die Meldung ist wieder offen, die Koordination sieht sie sich an.',
  fixAlready: 'Sie haben zu dieser Behebung schon geantwortet.',
  fixTooOld:
    'Danke, Ihre Antwort wurde gespeichert. Diese Behebung ist über 90 Tage alt, daher wird die Meldung nicht wieder geöffnet: Wenn die Barriere jetzt da ist, melden Sie sie bitte neu über die Karte.',
  fixNotResolved: 'Die Meldung ist nicht mehr als behoben markiert. Laden Sie die Seite neu, um den Stand zu sehen.',
  fixFailed: 'Ihre Antwort konnte nicht gesendet werden. Bitte versuchen Sie es noch einmal.',
  affectedCount: (x) =>
    x === 0
      ? 'Noch niemand hat gesagt, dass es sie betrifft.'
      : `${n(x)} ${plural(x, { one: 'Person ist', other: 'Personen sind' })} betroffen`,
  affectedHeading: 'Betrifft es Sie auch?',
  affectsMeToo: 'Betrifft mich auch',
  affectedRecorded: 'Danke. Sie wurden mitgezählt.',
  affectedSaid: (x) =>
    `${n(x)} ${plural(x, { one: 'Person hat', other: 'Personen haben' })} gesagt, dass es sie betrifft.`,
  affectedAlready: 'Sie sind schon mitgezählt.',
  affectedFailed: 'Das konnte nicht gesendet werden. Bitte versuchen Sie es noch einmal.',
  yourReport: 'Sie haben diese Meldung von diesem Gerät gesendet.',
  reportNumber: (id) => `Meldung ${id}`,
  unknownCategory: 'Meldung',
  date: (iso) => formatDate(iso),
  metres: (m) => formatDistance(m),
  coords,
  placeInputHintSearch: 'Straße und Hausnummer, ein Ort oder Koordinaten wie „52.52, 13.40“ (Breite, Länge).',
  placeSearch: 'Suchen',
  searching: 'Suche läuft …',
  searchResults: 'Gefundene Orte',
  searchFound: (x) =>
    `${n(x)} ${plural(x, { one: 'Ort', other: 'Orte' })} gefunden. Wählen Sie einen, um die Markierung dorthin zu setzen:`,
  searchNone: (q) => `Kein Ort für „${q}“ gefunden. Prüfen Sie die Schreibweise oder tippen Sie auf die Karte.`,
  searchUnavailable: 'Die Adresssuche antwortet gerade nicht. Tippen Sie auf die Karte oder geben Sie Koordinaten ein.',
  searchOffline:
    'Sie sind offline, Adressen können nicht gesucht werden. Tippen Sie auf die Karte oder geben Sie Koordinaten ein.',
  searchTooMany: 'Zu viele Suchen in kurzer Zeit. Warten Sie eine Minute oder tippen Sie auf die Karte.',
  searchChosen: (label) => `Ort gewählt: ${label}`,

  locateDenied:
    'Der Standortzugriff ist für diese Seite ausgeschaltet, daher kann Wegfrei Sie nicht finden. Tippen Sie auf die Stelle in der Karte (oder verschieben Sie die Karte und wählen Sie „Markierung in die Kartenmitte“) oder erlauben Sie den Standort für diese Seite in den Browser-Einstellungen.',
  locateTimeout:
    'Ihr Standort wurde nicht rechtzeitig gefunden (kein GPS-Empfang?). Tippen Sie auf die Karte oder geben Sie Koordinaten ein.',
  sendBusy:
    'Der Server ist gerade ausgelastet (Ihre Verbindung ist in Ordnung). Nichts geht verloren – versuchen Sie es in einer Minute erneut.',
  sendUnreachable:
    'Der Server war nicht erreichbar – die Verbindung ist vielleicht schwach oder der Server gestört. Nichts geht verloren – versuchen Sie es gleich noch einmal.',
  queuedBusyHeading: 'Auf diesem Gerät gespeichert – der Server ist ausgelastet',
  queuedBusyText:
    'Der Server ist gerade ausgelastet; Ihre Verbindung ist in Ordnung. Ihre Meldung und ihre Fotos bleiben auf diesem Gerät (unter „Meine Meldungen“, „Wartet auf Versand“) und werden in wenigen Minuten von selbst erneut gesendet.',
  queuedUnreachableText:
    'Der Server war nicht erreichbar. Ihre Meldung und ihre Fotos bleiben auf diesem Gerät (unter „Meine Meldungen“, „Wartet auf Versand“) und werden von selbst gesendet, sobald er wieder erreichbar ist.',

  legendHeading: 'Was die Karte zeigt',
  legendBarrier: 'Eine Barriere (rundes Zeichen mit Symbol)',
  legendHelp: 'Eine Bitte um Hilfe (eckiges Zeichen), nur ungefähr gezeigt',
  legendRing: (level) =>
    [
      'Dünner brauner Ring: lästig, oder die Hilfe kann warten',
      'Oranger Ring: schwer passierbar, oder Hilfe bald nötig',
      'Dicker roter Ring: unpassierbar, oder dringend',
    ][level - 1]!,
  legendCluster:
    'Eine Zahl in einem blauen Kreis: so viele Meldungen nahe beieinander – je größer der Kreis, desto mehr. Sein Ring zeigt die schwerste davon. Antippen vergrößert die Karte.',
  legendStack: 'Ein Zeichen mit kleiner Zahl: mehrere Meldungen an derselben Stelle. Antippen, um eine zu wählen.',
  legendCategories: 'Kategorien',

  stackTitle: (x) => `${n(x)} Meldungen an dieser Stelle`,
  stackChoose: 'Wählen Sie eine:',

  photoViewerTitle: (label) => `Fotos zu „${label}“`,
  photoPosition: (i, total) => `Foto ${i} von ${total}`,
  photoPrevious: 'Vorheriges Foto',
  photoNext: 'Nächstes Foto',
  photoClose: 'Schließen',
  photoViewerHelp: 'Wischen oder Pfeiltasten: nächstes und vorheriges Foto; Escape schließt.',
  photoFailed: 'Dieses Foto konnte nicht geladen werden.',

  followHeading: 'Diese Meldung verfolgen',
  followIntro: 'Erfahren Sie, wenn sie geprüft, einem Team übergeben oder behoben wird. Ohne Konto.',
  followIntroHelp:
    'Erfahren Sie, wenn die Anfrage geprüft wird, ein Team sie übernimmt oder sie erledigt ist. Ohne Konto.',
  followEmailLabel: 'Ihre E-Mail-Adresse',
  followEmailHint: 'Nur für Nachrichten zu dieser Meldung. Jede Nachricht enthält einen Link zum Beenden.',
  followEmailButton: 'Per E-Mail verfolgen',
  followPushButton: 'Per Benachrichtigung verfolgen',
  followCheckInbox:
    'Sehen Sie in Ihr Postfach: Wir haben einen Link zum Bestätigen gesendet. Bis Sie bestätigen, senden wir nichts weiter.',
  followFollowing: 'Sie verfolgen diese Meldung: Sie erhalten eine Benachrichtigung, wenn sie sich ändert.',
  followBlocked:
    'Benachrichtigungen sind für diese Seite blockiert. Erlauben Sie sie in den Website-Einstellungen Ihres Browsers, oder verfolgen Sie per E-Mail.',
  followEmailInvalid: 'Geben Sie eine E-Mail-Adresse wie name@example.org ein.',
  followFailed: 'Das hat nicht geklappt. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  followBusy: 'Gerade zu viele Anfragen. Versuchen Sie es in ein paar Minuten erneut.',
  followUnavailable: 'Verfolgen ist auf diesem Server nicht eingerichtet.',
  followPushFailed:
    'Benachrichtigungen lassen sich in diesem Browser nicht einschalten. Verfolgen Sie die Meldung per E-Mail.',
  footerNav: 'Mehr von Wegfrei',
  footerOpenData: 'Offene Daten',
  footerStats: 'Wie Meldungen bearbeitet werden',
  footerApi: 'Schnittstelle (API) für Entwickler',
};
