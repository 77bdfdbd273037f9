/**
 * Français pour la page des données ouvertes. Vouvoiement ; « signalement » pour report,
 * « obstacle » pour barrier ; espace insécable avant « : », espace fine avant « ; ».
 */
import { plural } from '../../lib/i18n';
import type { OpenDataStrings } from '../strings';

export const fr: OpenDataStrings = {
  title: 'Données ouvertes — Wegfrei',
  skip: 'Aller au contenu',
  section: 'Données ouvertes',
  languageNav: 'Langue',
  heading: 'Données ouvertes pour la recherche et les SIG',
  lead: 'Tous les signalements publics d’obstacles et toutes les demandes d’aide publiques, en fichiers et en services web standard, pour QGIS, GDAL, R, Python et les applications citoyennes.',
  facts: [
    'Les coordonnées sont en WGS 84, longitude en premier (RFC 7946). Les dates sont au format RFC 3339 en UTC. [Ce que signifie chaque champ](/api/docs#schema-ReportProperties).',
    'Aucune donnée personnelle\u00a0: les coordonnées de contact ne sont jamais publiées\u202f; les demandes d’aide sont placées au centre d’une maille d’environ {grid}, sans adresse ni précision\u202f; les signalements refusés ou masqués sont exclus\u202f; les photos ne contiennent aucune métadonnée.',
    'Licence\u00a0: {licence}, sauf si ce serveur en indique une autre. Chaque téléchargement précise sa licence et son attribution.',
    'Combien de signalements sont ouverts et à quelle vitesse ils sont résolus, par catégorie, zone et dans le temps\u00a0: [statistiques](/stats), aussi en CSV.',
  ],

  filtersHeading: 'Filtres',
  filtersIntro: 'Laissez un filtre vide pour tout inclure. Les liens ci-dessous suivent vos choix.',
  areaLegend: 'Zone (degrés WGS 84)',
  areaHint:
    'Les quatre valeurs ou aucune. Longitudes de −180 à 180, latitudes de −90 à 90\u202f; si l’ouest est plus grand que l’est, la zone traverse l’antiméridien.',
  west: 'Ouest (longitude min.)',
  south: 'Sud (latitude min.)',
  east: 'Est (longitude max.)',
  north: 'Nord (latitude max.)',
  example: (value) => `p. ex. ${value.replace('.', ',')}`,
  datesLegend: 'Date de signalement',
  datesHint: 'Jours entiers en UTC\u202f; chaque borne peut rester ouverte.',
  from: 'Du',
  to: 'Au',
  kindLegend: 'Type',
  kinds: { barrier: 'Obstacles', help: 'Demandes d’aide' },
  severityLegend: 'Gravité',
  severities: {
    '1': '1 – gênant',
    '2': '2 – difficile à franchir, aide bientôt nécessaire',
    '3': '3 – infranchissable, urgent',
  },
  statusLegend: 'Statut',
  statusHint: 'Les signalements refusés ne sont jamais publiés.',
  statuses: {
    new: 'Nouveau',
    verified: 'Vérifié',
    assigned: 'Attribué',
    in_progress: 'En cours',
    resolved: 'Résolu',
    duplicate: 'Doublon',
  },
  barrierCategories: 'Catégories d’obstacles',
  helpCategories: 'Catégories de demandes d’aide',
  categoriesFailed: 'Les catégories n’ont pas pu être chargées\u202f; toutes les catégories sont incluses.',
  clearFilters: 'Effacer tous les filtres',
  badCoordinate: (limit) => `Saisissez un nombre entre −${limit} et ${limit}.`,
  allFourOrNone: 'Remplissez les quatre côtés, ou aucun.',
  northOfSouth: 'Le nord ne peut pas être au sud du sud.',
  endBeforeStart: 'La date de fin ne peut pas précéder la date de début.',
  filtersInvalid: 'Certains filtres sont à corriger\u202f; les liens gardent les derniers filtres valides.',
  linksUpdated: (n) =>
    n
      ? `Liens mis à jour pour ${n} ${plural(n, { one: 'filtre', other: 'filtres' })}.`
      : 'Liens mis à jour\u00a0: aucun filtre, tout est inclus.',

  downloadsHeading: 'Téléchargements',
  downloadsHint:
    'Complets et diffusés en continu\u00a0: un téléchargement de toute taille commence aussitôt et reflète un seul état cohérent.',
  exports: {
    geojson: { label: 'GeoJSON', format: 'RFC 7946, une FeatureCollection' },
    geojsonseq: {
      label: 'Séquence de textes GeoJSON',
      format: 'RFC 8142, un Feature par enregistrement\u00a0: idéal pour les très gros téléchargements',
    },
    csv: { label: 'CSV', format: 'une ligne par signalement, UTF-8' },
    'csv-hxl': {
      label: 'CSV avec étiquettes HXL',
      format: 'une seconde ligne d’en-tête pour le Humanitarian Exchange Language',
    },
  },

  releasesHeading: 'Versions à citer',
  releasesLead:
    'L’ensemble des données publiques en fichiers datés qui ne changent jamais, produits régulièrement (chaque jour, sauf indication contraire de ce serveur)\u202f: citez l’URL datée et la somme de contrôle de son paquet de données. GDAL, DuckDB et pandas les lisent sur place.',
  releaseLatest: (id: string, date: string, n: number, rows: string) =>
    `Dernière version\u00a0: ${id}, produite le ${date}, ${rows}\u00a0${plural(n, { one: 'signalement', other: 'signalements' })}.`,
  releaseCite: (author: string, year: string, title: string, url: string, licence: string) =>
    `Citer cette version ainsi\u00a0: ${author} (${year}). ${title} [Jeu de données]. ${url}. Licence\u00a0: ${licence}.`,
  releaseNone: 'Pas encore de version\u00a0: la première est produite peu après le démarrage du serveur.',
  releaseFailed:
    'Les versions n’ont pas pu être chargées. [La liste des versions](/releases/) s’ouvre peut-être quand même.',
  releaseFiles: {
    'datapackage.json': 'Paquet de données\u00a0: schéma de table, licence, sommes de contrôle, nombre de lignes',
    'reports.geojson': 'GeoJSON',
    'reports.csv': 'CSV',
    'reports-hxl.csv': 'CSV avec étiquettes HXL',
    'reports.csvt': 'Types des colonnes du CSV, pour GDAL',
    'reports.fgb': 'FlatGeobuf',
    'reports.parquet': 'GeoParquet 1.1',
  },
  releaseReadInPlace: 'Lire la dernière version sur place, sans la télécharger d’abord (GDAL, DuckDB, pandas)\u00a0:',
  releasesAll: '[Toutes les versions](/releases/), en JSON\u00a0: chacune garde son URL.',

  ogcHeading: 'OGC API – Features (QGIS, GDAL)',
  ogcService: 'URL du service\u00a0: {url}. Collections\u00a0: `reports` (tout), `barriers`, `help`.',
  qgisHeading: 'Dans QGIS',
  qgisSteps: [
    'Ouvrez *Couche › Ajouter une couche › Ajouter une couche WFS / OGC API - Entités…*',
    'Choisissez *Nouveau*, donnez un nom à la connexion et collez l’URL du service ci-dessus.',
    'Choisissez *OGC API – Features* comme version (ou laissez QGIS la détecter), puis OK.',
    '*Connexion*, sélectionnez `reports`, `barriers` ou `help`, cochez la case qui ne demande que les entités de l’emprise de la vue (une grande collection ne charge alors que ce que vous regardez), puis *Ajouter*.',
  ],
  qgisGdal:
    'QGIS 3.22 devine le type d’un champ d’après les dix premières entités et filtre lui-même. Ouverte via GDAL (dans la console Python, *Extensions › Console Python*), chaque champ a son type et le filtre s’exécute sur le serveur\u00a0:',
  gdalHeading: 'Avec GDAL/OGR',
  gdalDescribe: 'Décrire la collection\u00a0:',
  gdalCopy:
    'La copier dans un GeoPackage (le type choisit la collection\u202f; GDAL envoie la zone et les autres filtres au serveur\u202f; `-preserve_fid` garde les numéros des signalements comme identifiants des objets)\u00a0:',
  gdalConvert: 'Ou convertir directement le téléchargement GeoJSON filtré\u00a0:',
  ogcItems: 'Les objets avec les filtres ci-dessus, page par page\u00a0: {items}',
  copy: 'Copier',
  copyLabel: (command) => `Copier la commande\u00a0: ${command}`,
  copied: 'Copié dans le presse-papiers.',
  copyFailed: 'La copie n’est pas autorisée ici\u202f; sélectionnez la commande et copiez-la à la main.',

  open311Heading: 'Open311 GeoReport v2',
  open311:
    'Point d’accès\u00a0: {endpoint} — [découverte](/open311/v2/discovery.json), [services](/open311/v2/services.json), [demandes](/open311/v2/requests.json). Chaque ressource existe aussi en XML (`.xml`). La lecture ne demande aucune clé\u202f; pour envoyer des demandes, il faut une clé d’API fournie par les personnes qui gèrent ce serveur.',
  apiHeading: 'Description de l’API',
  apiLinks: [
    '[Référence lisible de l’API](/api/docs)',
    '[Document OpenAPI 3.0](/api/openapi.json) (pour les générateurs de code et GDAL)',
  ],
};
