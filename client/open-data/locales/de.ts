/** Deutsch für die Open-Data-Seite. Anrede „Sie“; „Meldung“ für report, wie in der Bürger-App. */
import { plural } from '../../lib/i18n';
import type { OpenDataStrings } from '../strings';

export const de: OpenDataStrings = {
  title: 'Offene Daten — Wegfrei',
  skip: 'Zum Inhalt springen',
  section: 'Offene Daten',
  languageNav: 'Sprache',
  heading: 'Offene Daten für Forschung und GIS',
  lead: 'Jede öffentliche Meldung einer Barriere oder Bitte um Hilfe, als Dateien und als standardisierte Webdienste, für QGIS, GDAL, R, Python und zivilgesellschaftliche Apps.',
  facts: [
    'Koordinaten sind WGS 84, Längengrad zuerst (RFC 7946). Zeitangaben sind RFC 3339 in UTC. [Was die einzelnen Felder bedeuten](/api/docs#schema-ReportProperties).',
    'Keine personenbezogenen Daten: Kontaktdaten werden nie veröffentlicht; Hilfegesuche erscheinen in der Mitte einer Rasterzelle von etwa {grid}, ohne Adresse und Genauigkeit; abgelehnte und verborgene Meldungen fehlen; Fotos enthalten keine Metadaten.',
    'Lizenz: {licence}, sofern dieser Server keine andere nennt. Jeder Download nennt seine Lizenz und Namensnennung.',
    'Wie viele Meldungen offen sind und wie schnell sie erledigt werden, nach Kategorie, Gebiet und Zeit: [Statistik](/stats), auch als CSV.',
  ],

  filtersHeading: 'Filter',
  filtersIntro: 'Lassen Sie einen Filter leer, um alles einzuschließen. Die Links unten folgen Ihrer Auswahl.',
  areaLegend: 'Gebiet (Grad, WGS 84)',
  areaHint:
    'Alle vier Angaben oder keine. Längengrade −180 bis 180, Breitengrade −90 bis 90; ist West größer als Ost, überquert das Gebiet die Datumsgrenze.',
  west: 'West (kleinster Längengrad)',
  south: 'Süd (kleinster Breitengrad)',
  east: 'Ost (größter Längengrad)',
  north: 'Nord (größter Breitengrad)',
  example: (value) => `z. B. ${value}`,
  datesLegend: 'Gemeldet zwischen',
  datesHint: 'Ganze Tage in UTC; jedes Ende darf offen bleiben.',
  from: 'Von',
  to: 'Bis',
  kindLegend: 'Art',
  kinds: { barrier: 'Barrieren', help: 'Hilfegesuche' },
  severityLegend: 'Schweregrad',
  severities: {
    '1': '1 – lästig',
    '2': '2 – schwer passierbar, Hilfe bald nötig',
    '3': '3 – unpassierbar, dringend',
  },
  statusLegend: 'Status',
  statusHint: 'Abgelehnte Meldungen werden nie veröffentlicht.',
  statuses: {
    new: 'Neu',
    verified: 'Geprüft',
    assigned: 'Zugewiesen',
    in_progress: 'In Bearbeitung',
    resolved: 'Erledigt',
    duplicate: 'Doppelt gemeldet',
  },
  barrierCategories: 'Kategorien von Barrieren',
  helpCategories: 'Kategorien von Hilfegesuchen',
  categoriesFailed: 'Die Kategorien konnten nicht geladen werden; alle Kategorien sind eingeschlossen.',
  clearFilters: 'Alle Filter zurücksetzen',
  badCoordinate: (limit) => `Geben Sie eine Zahl von −${limit} bis ${limit} ein.`,
  allFourOrNone: 'Füllen Sie alle vier Seiten aus oder keine.',
  northOfSouth: 'Nord darf nicht südlich von Süd liegen.',
  endBeforeStart: 'Das Enddatum darf nicht vor dem Anfangsdatum liegen.',
  filtersInvalid: 'Einige Filter müssen korrigiert werden; die Links behalten die letzten gültigen Filter.',
  linksUpdated: (n) =>
    n
      ? `Links für ${n} ${plural(n, { one: 'Filter', other: 'Filter' })} aktualisiert.`
      : 'Links aktualisiert: keine Filter, alles.',

  downloadsHeading: 'Downloads',
  downloadsHint:
    'Vollständig und gestreamt: Ein Download beliebiger Größe beginnt sofort und enthält einen einzigen, in sich stimmigen Stand.',
  exports: {
    geojson: { label: 'GeoJSON', format: 'RFC 7946, eine FeatureCollection' },
    geojsonseq: {
      label: 'GeoJSON-Textsequenz',
      format: 'RFC 8142, ein Feature pro Datensatz: am besten für sehr große Downloads',
    },
    csv: { label: 'CSV', format: 'eine Zeile pro Meldung, UTF-8' },
    'csv-hxl': {
      label: 'CSV mit HXL-Hashtags',
      format: 'eine zweite Kopfzeile für die Humanitarian Exchange Language',
    },
  },

  releasesHeading: 'Veröffentlichungen zum Zitieren',
  releasesLead:
    'Der ganze öffentliche Datenbestand als datierte Dateien, die sich nie ändern, regelmäßig erstellt (jeden Tag, sofern dieser Server nichts anderes angibt): Zitieren Sie die datierte URL und die Prüfsumme aus dem Datenpaket. GDAL, DuckDB und pandas lesen sie direkt.',
  releaseLatest: (id: string, date: string, n: number, rows: string) =>
    `Neueste Veröffentlichung: ${id}, erstellt ${date}, ${rows} ${plural(n, { one: 'Meldung', other: 'Meldungen' })}.`,
  releaseCite: (author: string, year: string, title: string, url: string, licence: string) =>
    `Diese Veröffentlichung zitieren als: ${author} (${year}). ${title} [Datensatz]. ${url}. Lizenz: ${licence}.`,
  releaseNone: 'Noch keine Veröffentlichung: Die erste entsteht kurz nach dem Start des Servers.',
  releaseFailed:
    'Die Veröffentlichungen konnten nicht geladen werden. [Die Liste der Veröffentlichungen](/releases/) lässt sich vielleicht trotzdem öffnen.',
  releaseFiles: {
    'datapackage.json': 'Datenpaket: Tabellenschema, Lizenz, Prüfsummen, Zeilenzahl',
    'reports.geojson': 'GeoJSON',
    'reports.csv': 'CSV',
    'reports-hxl.csv': 'CSV mit HXL-Hashtags',
    'reports.csvt': 'Spaltentypen der CSV-Datei, für GDAL',
    'reports.fgb': 'FlatGeobuf',
    'reports.parquet': 'GeoParquet 1.1',
  },
  releaseReadInPlace:
    'Die neueste Veröffentlichung direkt lesen, ohne sie erst herunterzuladen (GDAL, DuckDB, pandas):',
  releasesAll: '[Alle Veröffentlichungen](/releases/), als JSON: Jede behält ihre URL.',

  ogcHeading: 'OGC API – Features (QGIS, GDAL)',
  ogcService: 'Dienst-URL: {url}. Sammlungen: `reports` (alle), `barriers`, `help`.',
  qgisHeading: 'In QGIS',
  qgisSteps: [
    'Öffnen Sie *Layer › Layer hinzufügen › WFS-/OGC-API-Features-Layer hinzufügen …*',
    'Wählen Sie *Neu*, geben Sie der Verbindung einen Namen und fügen Sie die Dienst-URL von oben ein.',
    'Wählen Sie als Version *OGC API – Features* (oder lassen Sie QGIS sie erkennen), dann OK.',
    '*Verbinden*, `reports`, `barriers` oder `help` auswählen, das Kästchen ankreuzen, nur Objekte im Kartenausschnitt anzufordern (eine große Sammlung lädt dann nur, was Sie ansehen), *Hinzufügen*.',
  ],
  qgisGdal:
    'QGIS 3.22 errät den Typ eines Felds aus den ersten zehn Objekten und filtert selbst. Über GDAL geöffnet (in der Python-Konsole, *Erweiterungen › Python-Konsole*) hat jedes Feld seinen Typ, und der Filter läuft auf dem Server:',
  gdalHeading: 'Mit GDAL/OGR',
  gdalDescribe: 'Die Sammlung beschreiben:',
  gdalCopy:
    'In ein GeoPackage kopieren (die Art bestimmt die Sammlung; GDAL schickt das Gebiet und die übrigen Filter an den Server; `-preserve_fid` behält die Meldungsnummern als Objekt-IDs):',
  gdalConvert: 'Oder den gefilterten GeoJSON-Download direkt umwandeln:',
  ogcItems: 'Die Objekte mit den Filtern von oben, Seite für Seite: {items}',
  copy: 'Kopieren',
  copyLabel: (command) => `Befehl kopieren: ${command}`,
  copied: 'In die Zwischenablage kopiert.',
  copyFailed: 'Kopieren ist hier nicht erlaubt; markieren Sie den Befehl und kopieren Sie ihn von Hand.',

  open311Heading: 'Open311 GeoReport v2',
  open311:
    'Endpunkt: {endpoint} — [Discovery](/open311/v2/discovery.json), [Dienste](/open311/v2/services.json), [Anfragen](/open311/v2/requests.json). Jede Ressource gibt es auch als XML (`.xml`). Lesen braucht keinen Schlüssel; wer Anfragen senden will, braucht einen API-Schlüssel von den Betreibern dieses Servers.',
  apiHeading: 'Beschreibung der API',
  apiLinks: [
    '[Lesbare API-Referenz](/api/docs)',
    '[OpenAPI-3.0-Dokument](/api/openapi.json) (für Codegeneratoren und GDAL)',
  ],
};
