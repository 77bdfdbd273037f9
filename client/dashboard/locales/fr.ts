/**
 * Français pour le tableau de bord. Vouvoiement ; les mots de l’application citoyenne
 * (« signalement », « obstacle », « demande d’aide ») et de la modération. Espace insécable
 * (\u00a0) avant « : » et dans les guillemets, espace fine insécable (\u202f) avant « ; ? ! ».
 */
import type { Kind, Severity, Status } from '../../lib/api';
import { formatDate, formatNumber, language, plural as pluralOf } from '../../lib/i18n';
import type { Role } from '../../lib/staff-api';
import { moderationHistory } from '../moderation-strings';
import type { DashboardStrings } from '../strings';

const status: Record<Status, string> = {
  new: 'Nouveau',
  verified: 'Vérifié',
  assigned: 'Attribué',
  in_progress: 'En cours',
  resolved: 'Résolu',
  rejected: 'Refusé',
  duplicate: 'Doublon',
};

/** A status after « signalement(s) », singular and plural (the queue's count). */
const frenchStatus: Record<Status | 'open' | 'all', [string, string]> = {
  open: [' ouvert', ' ouverts'],
  all: ['', ''],
  new: [' nouveau', ' nouveaux'],
  verified: [' vérifié', ' vérifiés'],
  assigned: [' assigné', ' assignés'],
  in_progress: [' en cours', ' en cours'],
  resolved: [' résolu', ' résolus'],
  rejected: [' rejeté', ' rejetés'],
  duplicate: [' en double', ' en double'],
};

const source: Record<string, string> = {
  web: 'Application web',
  open311: 'Open311',
  sms: 'SMS',
  telegram: 'Telegram',
  import: 'Import',
  staff: 'Personnel',
};

const transition: Record<Status, string> = {
  new: 'Rouvrir',
  verified: 'Vérifier',
  assigned: 'Marquer comme attribué',
  in_progress: 'Commencer le travail',
  resolved: 'Résoudre',
  rejected: 'Refuser',
  duplicate: 'Marquer comme doublon',
};

const severity: Record<Kind, Record<Severity, string>> = {
  barrier: { 1: 'Gênant', 2: 'Difficile à franchir', 3: 'Infranchissable' },
  help: { 1: 'Peut attendre', 2: 'Aide bientôt nécessaire', 3: 'Urgent' },
};

const roles: Record<Role, string> = { admin: 'Administrateur', coordinator: 'Coordinateur', responder: 'Intervenant' };

const n = (x: number) => formatNumber(x);
const plural = (x: number, one: string, many: string) => `${n(x)} ${pluralOf(x, { one, other: many })}`;
const decimal = (x: number) => formatNumber(x, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const decimal3 = (x: number) => formatNumber(x, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
const q = (s: string) => `«\u00a0${s}\u00a0»`;

export const fr: DashboardStrings = {
  // The product's name, as on the header's logo.
  appName: 'Wegfrei Staff',
  skip: 'Aller au contenu',
  loading: 'Chargement…',
  loadFailed: 'Le tableau de bord n’a pas pu être chargé. Vérifiez la connexion et rechargez la page.',
  sections: 'Rubriques',
  nav: { triage: 'Tri', deployments: 'Interventions', overview: 'Vue d’ensemble', admin: 'Administration' },
  signedInAs: (name, role) => `${name} (${roles[role]})`,
  logout: 'Se déconnecter',
  languageNav: 'Langue',
  sessionExpired: 'Votre session a expiré. Veuillez vous reconnecter.',
  notStaffApp:
    'Ce tableau de bord est destiné aux coordinateurs et aux administrateurs. Les intervenants utilisent la vue pour téléphone\u00a0:',
  responderLink: 'Mes missions',
  login: {
    heading: 'Connexion à Wegfrei',
    intro: 'Pour les coordinateurs et administrateurs des organisations qui utilisent Wegfrei.',
    email: 'Adresse e-mail',
    password: 'Mot de passe',
    submit: 'Se connecter',
    signingIn: 'Connexion…',
    wrong: 'L’adresse e-mail ou le mot de passe est incorrect.',
    throttled: (s) =>
      s
        ? `Trop de tentatives. Veuillez patienter ${plural(Math.ceil(s), 'seconde', 'secondes')} puis réessayer.`
        : 'Trop de tentatives. Veuillez patienter un instant puis réessayer.',
    failed: 'La connexion a échoué\u00a0: le serveur est injoignable.',
  },

  status: (s) => status[s] ?? s,
  transition: (s) => transition[s] ?? s,
  severity: (kind, s) => severity[kind]?.[s] ?? String(s),
  kind: (k) => (k === 'help' ? 'Demande d’aide' : 'Obstacle'),
  role: (r) => roles[r] ?? r,
  reportNo: (id) => `#${id}`,
  date: (iso) => formatDate(iso),
  ago: (iso) => {
    const min = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 60_000));
    if (min < 1) return 'à l’instant';
    const rtf = new Intl.RelativeTimeFormat(language(), { style: 'short' });
    if (min < 60) return rtf.format(-min, 'minute');
    if (min < 48 * 60) return rtf.format(-Math.round(min / 60), 'hour');
    return rtf.format(-Math.round(min / 1440), 'day');
  },

  filters: 'Filtres',
  category: 'Catégorie',
  kindLabel: 'Type',
  statusLabel: 'Statut',
  any: 'Tous',
  openStatuses: 'Ouverts',
  allStatuses: 'Tous les statuts',
  barriers: 'Obstacles',
  helpRequests: 'Demandes d’aide',

  searchLabel: 'Rechercher des signalements',
  searchHint: 'Un numéro de signalement (3001 ou #3001), des mots de la description ou d’une note, ou une adresse.',
  searchButton: 'Rechercher',
  numberFound: (id, state) => `Signalement #${id} (${state}).`,
  numberOutside: 'Il ne figure pas dans la liste avec ces filtres.',
  numberMissing: (id) => `Il n’existe pas de signalement #${id}, ou vous n’y avez pas accès.`,
  openNumber: (id) => `Ouvrir le signalement #${id}`,
  moreFilters: (on) => (on ? `Plus de filtres (${on} ${on === 1 ? 'actif' : 'actifs'})` : 'Plus de filtres'),
  teamFilter: 'Équipe',
  channelFilter: 'Canal',
  anyTeam: 'Toutes les équipes',
  noTeamAssigned: 'Aucune équipe',
  assigneeFilter: 'Assigné à',
  anyone: 'Tout le monde',
  nobodyInParticular: 'Personne en particulier',
  createdFrom: 'Créé à partir du',
  createdTo: 'Créé jusqu’au',
  datesReversed: 'La date de fin précède la date de début.',
  mapAreaButton: 'Seulement cette vue de la carte',
  mapAreaOn: 'Seulement la vue choisie',
  mapAreaUpdate: 'Utiliser la vue actuelle de la carte',
  clearFilters: 'Effacer les filtres',
  queueShowing: (shown, total, count, which) => {
    const [one, many] = frenchStatus[which];
    return `Affichage de ${shown} sur ${total} ${count === 1 ? `signalement${one}` : `signalements${many}`}`;
  },
  queueNoneFound: (which) => `Aucun signalement${frenchStatus[which][0]}`,
  filteredBy: (parts) => `Filtres : ${parts.join(' ; ')}.`,
  saysCategory: (label) => `catégorie ${label}`,
  saysKind: (kind) => (kind === 'help' ? 'demandes d’aide seulement' : 'obstacles seulement'),
  saysTeam: (name) => `équipe ${name}`,
  saysChannel: (label) => `canal ${label}`,
  saysNoTeam: 'aucune équipe',
  saysAssignee: (name) => `assigné à ${name}`,
  saysNobody: 'assigné à personne en particulier',
  saysCreated: (from, to) =>
    from && to ? `créé du ${from} au ${to}` : from ? `créé à partir du ${from}` : `créé jusqu’au ${to ?? ''}`,
  saysSearch: (q) => `correspondant à « ${q} »`,
  saysArea: 'dans la vue choisie de la carte',
  loadMoreOf: (next, left) => `Afficher les ${next} suivants (encore ${left})`,

  mapLabel: 'Carte des signalements',
  zoomIn: 'Zoom avant',
  zoomOut: 'Zoom arrière',
  mapHelp:
    'Les flèches déplacent la carte, + et − zooment. Les signalements de la carte figurent aussi dans la file de tri. Tab quitte la carte.',
  mapSummary: (reports, clusters) =>
    reports === 0
      ? 'Aucun signalement dans cette vue de la carte.'
      : clusters > 0
        ? `${plural(reports, 'signalement', 'signalements')} dans cette vue de la carte, en ${plural(clusters, 'groupe', 'groupes')}.`
        : `${plural(reports, 'signalement', 'signalements')} dans cette vue de la carte.`,
  tilesFailed: 'Le fond de carte n’a pas pu être chargé\u202f; les signalements restent affichés.',
  legend: 'Légende',
  legendBarrier: 'Obstacles',
  legendHelp: 'Demandes d’aide',
  legendMixed: 'Anneau\u00a0: part des obstacles (bleu) et des demandes d’aide (orange)',
  legendSeverity: (s) => ['', 'Gravité maximale 1', 'Gravité maximale 2', 'Gravité maximale 3'][s] ?? '',
  legendClosed: 'Clos (résolu, refusé, doublon)',
  clusterHeading: (count) => `${plural(count, 'signalement', 'signalements')} ici`,
  clusterMore: (shown, total) => `${n(shown)} affichés sur ${n(total)}. Zoomez pour voir les autres.`,

  queueHeading: 'File de tri',
  queueCaption: (count) => `${plural(count, 'signalement ouvert', 'signalements ouverts')}, les plus urgents d’abord`,
  queueEmpty: 'Aucun signalement ne correspond aux filtres.',
  queueFailed: 'La file n’a pas pu être chargée.',
  reload: 'Recharger',
  loadMore: 'Charger les 100 suivants',
  colSelect: 'Sélection',
  colReport: 'Signalement',
  colPriority: 'Priorité',
  colSeverity: 'Gravité',
  colStatus: 'Statut',
  selectRow: (id) => `Sélectionner le signalement ${id}`,
  selectAll: 'Sélectionner tous les signalements de la file',
  assignTeam: `Équipe pour ${q('Attribuer')}`,
  noTeam: 'Choisir une équipe',
  selected: (count) => `${plural(count, 'signalement sélectionné', 'signalements sélectionnés')}`,
  bulkVerify: 'Vérifier la sélection',
  bulkReject: 'Refuser la sélection',
  bulkAssign: 'Attribuer la sélection à l’équipe',
  chooseTeamFirst: `Choisissez d’abord l’équipe pour ${q('Attribuer')}.`,
  notAllowed: (id, s) => `Le signalement ${id} ne peut pas passer à ${q(status[s])} depuis son statut actuel.`,
  changed: (id, what) => `Signalement ${id}\u00a0: ${what}.`,
  newReport: (label, sev) => `Nouveau signalement\u00a0: ${label}, ${sev}`,
  newReports: (count) => `${plural(count, 'nouveau signalement', 'nouveaux signalements')} dans la file.`,
  shortcutsButton: 'Raccourcis clavier',
  shortcutsHeading: 'Raccourcis clavier',
  shortcutsIntro: 'Dans la file de tri. Ils sont sans effet pendant la saisie dans un champ.',
  close: 'Fermer',
  shortcuts: [
    ['j ou ↓', 'Signalement suivant'],
    ['k ou ↑', 'Signalement précédent'],
    ['Entrée', 'Ouvrir les détails du signalement'],
    ['v', 'Vérifier'],
    ['r', `Refuser (le message propose ${q('Annuler')} pendant 8 secondes)`],
    ['u', 'Annuler la dernière vérification, le dernier refus, la dernière attribution ou le dernier doublon'],
    ['a', 'Attribuer à l’équipe choisie au-dessus de la file'],
    ['d', 'Marquer comme doublon (demande le signalement d’origine)'],
    ['x', 'Sélectionner ou désélectionner pour les actions groupées'],
    ['Maj + V', 'Vérifier tous les signalements sélectionnés'],
    ['Échap', 'Fermer les détails et revenir à la file'],
    ['?', 'Afficher cette aide'],
  ],
  duplicateHeading: (id) => `Le signalement ${id} est un doublon de…`,
  duplicateLabel: 'Numéro du signalement d’origine',
  duplicateSubmit: 'Marquer comme doublon',
  cancel: 'Annuler',
  invalidId: 'Saisissez le numéro d’un autre signalement.',

  detailHeading: (label, id) => `${label} #${id}`,
  closeDetail: 'Fermer les détails',
  detailFailed: 'Le signalement n’a pas pu être chargé.',
  facts: {
    status: 'Statut',
    severity: 'Gravité',
    kind: 'Type',
    priority: 'Priorité',
    passability: 'Praticable',
    people: 'Personnes',
    address: 'Adresse',
    location: 'Lieu',
    reported: 'Signalé le',
    updated: 'Modifié le',
    confirmations: 'Confirmations',
    contact: 'Contact',
    team: 'Équipe',
    person: 'Personne',
    duplicateOf: 'Doublon de',
    deployment: 'Intervention',
  },
  confirmations: (c) => `toujours là\u00a0: ${n(c.still_there)}, disparu\u00a0: ${n(c.gone)}`,
  none: '—',
  noContact: 'aucun',
  publicPage: 'Page publique',
  description: 'Description',
  noDescription: 'Aucune description.',
  photos: 'Photos',
  photoAlt: (i, id) => `Photo ${i} du signalement ${id}`,
  actions: 'Actions',
  changeStatus: 'Changer le statut',
  noTransitions: 'Aucun changement de statut n’est possible à partir d’ici.',
  assignHeading: 'Attribuer',
  teamLabel: 'Équipe',
  personLabel: 'Personne',
  nobody: 'Aucune personne',
  assign: 'Attribuer',
  severityLabel: 'Gravité',
  correctHeading: 'Corriger',
  saveCorrection: 'Enregistrer la correction',
  statusNote: 'Note accompagnant le changement (facultative)',
  publicNoteLabel: 'Note pour le public (affichée sur la page du signalement)',
  publicNoteHint:
    'Envoyée avec «\u202fRésoudre\u202f». Tout le monde peut la lire\u202f: ni noms, ni numéros de téléphone, ni autre détail privé.',
  attentionFlag: 'À vérifier : rouvert ou signalé',
  duplicateOfLabel: 'Doublon du signalement numéro',
  notesHeading: 'Notes internes',
  noNotes: 'Aucune note pour l’instant.',
  noteLabel: 'Ajouter une note (visible par l’équipe seulement)',
  addNote: 'Ajouter la note',
  noteAdded: 'Note ajoutée.',
  fixPhotoHeading: 'Photo de la réparation',
  fixPhotoLabel: 'Ajouter une photo de la réparation',
  fixPhotoHint:
    'Jusqu’à 5 photos, 15 Mo chacune. Une fois publiées, elles apparaissent comme photos « après » sur la page publique.',
  fixPhotoSend: 'Envoyer la photo',
  fixPhotoNone: 'Choisissez d’abord une photo.',
  fixPhotoSending: (n) => (n === 1 ? 'Envoi d’1 photo…' : `Envoi de ${n} photos…`),
  fixPhotoAdded: (n) =>
    n === 1
      ? 'Photo ajoutée. Publiez-la sous « Publication » pour l’afficher.'
      : `${n} photos ajoutées. Publiez-les sous « Publication » pour les afficher.`,
  fixPhotoFailed: 'La photo n’a pas pu être ajoutée.',
  historyHeading: 'Historique',
  noHistory: 'Aucune modification pour l’instant.',
  public: 'Citoyen',
  system: 'Système',
  historyLine: (field, from, to, action) =>
    moderationHistory(action, field, from, to) ??
    (field ? `${field}\u00a0: ${from ?? '—'} → ${to ?? '—'}` : action.replace(/_/g, ' ')),
  saved: 'Enregistré.',
  saveFailed: 'La modification n’a pas pu être enregistrée.',
  working: 'Enregistrement…',

  liveConnected: 'En direct',
  liveReconnecting: 'Reconnexion…',
  liveLabel: 'Mises à jour en direct',

  deploymentsHeading: 'Interventions',
  hotspotsHeading: 'Points chauds des signalements ouverts',
  distanceLabel: 'Distance entre signalements (m)',
  minReportsLabel: 'Nombre minimal de signalements',
  findHotspots: 'Trouver les points chauds de la vue',
  hotspotsFound: (count) =>
    count
      ? `${plural(count, 'point chaud', 'points chauds')} dans cette vue de la carte.`
      : 'Aucun point chaud dans la vue.',
  hotspotItem: (count, weight, sev) =>
    `${plural(count, 'signalement', 'signalements')}, poids ${n(weight)}, gravité maximale ${sev}`,
  showHotspot: 'Afficher',
  useHotspot: 'Utiliser comme zone',
  createHeading: 'Créer une intervention',
  nameLabel: 'Nom',
  areaLabel: 'Zone',
  noArea: 'Aucune zone choisie pour l’instant.',
  areaFromHotspot: (count) => `Point chaud avec ${plural(count, 'signalement', 'signalements')}.`,
  areaFromView: 'La vue actuelle de la carte.',
  areaDrawn: (count) => `Zone dessinée avec ${plural(count, 'sommet', 'sommets')}.`,
  drawArea: 'Dessiner une zone sur la carte',
  useView: 'Utiliser la vue actuelle comme zone',
  drawing:
    'Dessin\u00a0: cliquez sur la carte pour ajouter des sommets. Entrée ou un double-clic termine, Retour arrière retire le dernier sommet, Échap annule.',
  drawTooFew: 'Une zone doit avoir au moins 3 sommets.',
  drawCancelled: 'Dessin annulé.',
  createSubmit: 'Créer l’intervention',
  deploymentCreated: (name, count) =>
    `Intervention ${q(name)} créée\u202f; ${plural(count, 'signalement attribué', 'signalements attribués')}.`,
  needName: 'Saisissez un nom.',
  needTeam: 'Choisissez une équipe.',
  needArea: 'Choisissez une zone\u00a0: un point chaud, une zone dessinée ou la vue de la carte.',
  listHeading: 'Interventions',
  noDeployments: 'Aucune intervention pour l’instant.',
  colName: 'Nom',
  colTeam: 'Équipe',
  colOpen: 'Ouverts / total',
  colCreated: 'Créée le',
  showArea: 'Afficher',
  deploymentStatus: (s) => (s === 'active' ? 'Active' : s === 'closed' ? 'Close' : s),

  overviewHeading: 'Vue d’ensemble',
  daysLabel: 'Période',
  days: (d) => `${n(d)} derniers jours`,
  byCategory: 'Signalements par catégorie et par statut',
  total: 'Total',
  perDay: 'Créés et résolus par jour',
  created: 'Créés',
  resolvedLabel: 'Résolus',
  day: 'Jour',
  chartLabel: (d, created, resolved) =>
    `Graphique\u00a0: ${plural(created, 'signalement créé', 'signalements créés')} et ${n(resolved)} ${pluralOf(resolved, { one: 'résolu', other: 'résolus' })} au cours des ${n(d)} derniers jours. Les mêmes chiffres figurent dans le tableau ci-dessous.`,
  showTable: 'Afficher les chiffres sous forme de tableau',
  median: 'Délai médian de résolution',
  medianValue: (hours) =>
    hours === null
      ? 'Aucun signalement résolu sur cette période.'
      : hours < 48
        ? `${decimal(hours)}\u00a0heures`
        : `${decimal(hours / 24)}\u00a0jours`,
  periodPhrase: (days, from, to) =>
    days === 1 ? `aujourd’hui (${to})` : `au cours des ${n(days)}\u00a0derniers jours (du ${from} au ${to})`,
  periodSummary: (period, created, resolved) =>
    `${plural(created, 'signalement créé', 'signalements créés')} et ${plural(resolved, 'résolu', 'résolus')} ${period}.`,
  byCategoryIn: (period) => `Signalements créés ${period}, par catégorie et statut actuel`,
  perDayIn: (period) => `Créés et résolus par jour, ${period}`,
  noneCreated: (period) => `Aucun signalement créé ${period}.`,
  bySourceHeading: 'Signalements par canal',
  bySourceIn: (period) => `Signalements créés ${period}, par canal`,
  fixChecksHeading: 'Réparations confirmées par les citoyens',
  fixChecksIntro: (period) =>
    `Ce que les citoyens ont répondu ${period} à la question «\u00a0Est-ce vraiment réparé\u00a0?\u00a0» après une résolution.`,
  fixChecksNone: (period) => `Aucun citoyen n’a répondu ${period}.`,
  fixChecksByTeam: 'Réponses par équipe ayant résolu le signalement',
  fixChecksByArea: 'Réponses par zone',
  fixChecksNoAreas: 'Par zone dès que des quartiers sont importés (npm run areas:import ; docs/STATS.md).',
  teamColumn: 'Équipe',
  areaColumn: 'Zone',
  fixedColumn: 'Réparé',
  notFixedColumn: 'Pas réparé',
  shareColumn: 'Part confirmée',
  fixChecksNoTeam: 'Aucune équipe',
  outsideAreas: 'Hors de toute zone',
  reportsColumn: 'Signalements',
  source: (s) => source[s] ?? s,
  noneResolved: (period) => `Aucun signalement résolu ${period}.`,
  medianOf: (resolved, period) =>
    `La médiane des ${plural(resolved, 'signalement résolu', 'signalements résolus')} ${period}.`,
  clusterAt: (count, place) => `${plural(count, 'signalement', 'signalements')} ${place}`,
  placeStreet: (street) => `près de ${street}`,
  placeInArea: (name) => `dans la zone «\u00a0${name}\u00a0»`,
  placeNearArea: (name) => `près de la zone «\u00a0${name}\u00a0»`,
  placeAt: (coordinate) => `à ${coordinate}`,
  coordinate: (lat, lon) =>
    `${decimal3(Math.abs(lat))}°\u00a0${lat < 0 ? 'S' : 'N'}, ${decimal3(Math.abs(lon))}°\u00a0${lon < 0 ? 'O' : 'E'}`,
  clusterNone: 'Aucun signalement ici ne correspond aux filtres actuels.',

  adminHeading: 'Administration',
  usersHeading: 'Utilisateurs',
  teamsHeading: 'Équipes',
  colEmail: 'Adresse e-mail',
  colRole: 'Rôle',
  colState: 'État',
  colActions: 'Actions',
  active: 'Actif',
  disabled: 'Désactivé',
  disable: 'Désactiver',
  enable: 'Activer',
  resetPassword: 'Réinitialiser le mot de passe',
  newPasswordFor: (name) => `Nouveau mot de passe pour ${name}`,
  passwordHint: 'Au moins 12 caractères. Transmettez-le à la personne par un canal sûr.',
  savePassword: 'Définir le mot de passe',
  addUserHeading: 'Ajouter un utilisateur',
  userName: 'Nom',
  userEmail: 'Adresse e-mail',
  userRole: 'Rôle',
  userTeam: 'Équipe',
  userPassword: 'Mot de passe initial',
  addUser: 'Ajouter l’utilisateur',
  userAdded: (name) => `${name} a été ajouté(e).`,
  userChanged: (name) => `${name} a été modifié(e).`,
  teamName: 'Nom de l’équipe',
  addTeam: 'Ajouter l’équipe',
  teamAdded: (name) => `L’équipe ${q(name)} a été ajoutée.`,
  noTeams: 'Aucune équipe pour l’instant.',
  members: (count) => plural(count, 'membre', 'membres'),

  noticesEarlier: 'Messages précédents',
  noticeDismiss: 'Fermer le message',
  noConnection: 'Aucune connexion au serveur. Vérifiez le réseau et réessayez.',
  serverTrouble: (code) => `Le serveur a rencontré un problème (erreur ${code}). Veuillez réessayer dans un instant.`,
  notPermitted: 'Votre compte n’a pas le droit de faire cela.',
  fieldNames: {
    password: 'Le mot de passe',
    email: 'L’adresse e-mail',
    name: 'Le nom',
    role: 'Le rôle',
    team_id: 'L’équipe',
    disabled: 'L’état du compte',
    status: 'Le statut',
    assigned_team_id: 'L’équipe',
    assigned_user_id: 'La personne',
    duplicate_of: 'Le signalement d’origine',
    severity: 'La gravité',
    category: 'La catégorie',
    note: 'La note',
    body: 'La note',
    ids: 'La liste des signalements',
    area: 'La zone',
  },
  fieldUnknown: (name) => `Le champ ${q(name)}`,
  changeFailed: (id) => `Le signalement ${id} n’a pas pu être modifié.`,
  duplicateFailed: (id, original) =>
    `Le signalement ${id} n’a pas pu être marqué comme doublon du signalement ${original}.`,
  statusNow: (id, s) => `Le signalement ${id} est maintenant ${q(status[s] ?? s)}.`,
  rejectedNow: (id) => `Le signalement ${id} est refusé et n’apparaît plus sur la carte publique.`,
  undo: 'Annuler',
  undoing: (id) => `Annulation de la modification du signalement ${id}…`,
  undone: (id, s) => `Annulé\u00a0: le signalement ${id} est de nouveau ${q(status[s] ?? s)}.`,
  undoFailed: (id) => `La modification du signalement ${id} n’a pas pu être annulée.`,
  bulkOutcome: (ok, failed) =>
    [
      ok.length
        ? `${plural(ok.length, 'signalement modifié', 'signalements modifiés')} (${ok.map((id) => `#${id}`).join(', ')}).`
        : '',
      failed.length
        ? `Non modifiés\u00a0: ${failed.map((f) => `signalement ${f.id} (${f.why.replace(/\.$/, '')})`).join('\u202f; ')}.`
        : '',
    ]
      .filter(Boolean)
      .join(' '),
  cannotGo: (from, to) => `impossible de passer de ${q(status[from] ?? from)} à ${q(status[to] ?? to)}`,
  noSuchReport: 'ce signalement n’existe pas',
  needAssignee:
    'Choisissez d’abord une équipe ou une personne\u00a0: un signalement attribué doit avoir quelqu’un pour s’en occuper.',
  markAssignedHint: `Choisissez d’abord une équipe ou une personne sous ${q('Attribuer')}.`,
  noteFailed: 'La note n’a pas pu être ajoutée.',
  userChangeFailed: (name) => `${name} n’a pas pu être modifié(e).`,
  userAddFailed: 'L’utilisateur n’a pas pu être ajouté.',
  teamAddFailed: 'L’équipe n’a pas pu être ajoutée.',
  usersLoadFailed: 'La liste des utilisateurs n’a pas pu être chargée.',
  saveUser: 'Enregistrer',
  saveUserLabel: (name) => `Enregistrer le rôle et l’équipe de ${name}`,
  unsaved: 'Pas encore enregistré',
  roleConfirmHeading: (name) => `Changer le rôle de ${name}\u202f?`,
  roleConfirmText: (name, from, to) =>
    `${name} a aujourd’hui le rôle ${q(roles[from])} et aura le rôle ${q(roles[to])}. ${
      to === 'responder'
        ? 'Les intervenants ne peuvent pas utiliser ce tableau de bord\u202f; ils ne voient que leurs propres missions.'
        : to === 'admin'
          ? 'Les administrateurs peuvent ajouter, modifier et désactiver tous les comptes.'
          : 'Les coordinateurs traitent la file mais ne gèrent pas les comptes.'
    }`,
  roleConfirm: 'Changer le rôle',
  disableConfirmHeading: (name) => `Désactiver le compte de ${name}\u202f?`,
  disableConfirmText:
    'La personne est déconnectée aussitôt et ne peut plus se connecter tant qu’un administrateur n’a pas réactivé le compte.',
  disableConfirm: 'Désactiver le compte',
  rejectConfirmHeading: (id) => `Refuser le signalement ${id}\u202f?`,
  rejectConfirmText: 'Le signalement disparaît aussitôt de la carte publique, des listes et des exports.',

  signedOut: 'Déconnecté',
  pendingKept: (count) =>
    count === 1
      ? 'Votre session a expiré. Reconnectez-vous et votre modification sera enregistrée.'
      : `Votre session a expiré. Reconnectez-vous et vos ${n(count)} modifications seront enregistrées.`,
  pendingSaved: (count) =>
    count === 1
      ? 'Vous êtes reconnecté. Votre modification a été enregistrée.'
      : `Vous êtes reconnecté. Vos ${n(count)} modifications ont été enregistrées.`,
  pendingFailed: 'Vous êtes reconnecté, mais votre modification n’a pas pu être enregistrée.',
  pendingStale: (id) =>
    `Vous êtes reconnecté, mais le signalement ${id} a été modifié entre-temps par quelqu’un d’autre\u00a0: votre modification n’a donc pas été envoyée. Consultez-le et refaites-la si elle est encore nécessaire.`,

  historyCitizen: 'Un citoyen',
  historySomeone: 'Quelqu’un',
  historyPublicNotFixed: 'Un citoyen (« pas réparé »)',
  historyCreated: 'l’a signalé',
  historyStatus: (from, to) =>
    from
      ? `a changé le statut de ${q(status[from] ?? from)} à ${q(status[to] ?? to)}`
      : `a mis le statut à ${q(status[to] ?? to)}`,
  historyTeam: (from, to) =>
    to
      ? from
        ? `l’a transféré de l’équipe ${from} à l’équipe ${to}`
        : `l’a attribué à l’équipe ${to}`
      : `l’a retiré à l’équipe ${from ?? '—'}`,
  historyPerson: (from, to) =>
    to ? (from ? `l’a confié à ${to} au lieu de ${from}` : `l’a attribué à ${to}`) : `l’a retiré à ${from ?? '—'}`,
  historyDuplicateOf: (id) => (id ? `l’a marqué comme doublon du signalement ${id}` : 'a retiré la marque de doublon'),
  historyMerged: (id) => `a fusionné le signalement ${id ?? '—'} avec celui-ci comme doublon`,
  historySeverity: (kind, from, to) => {
    const word = (v: string | null) => (v ? `${v} (${severity[kind]?.[Number(v) as Severity] ?? v})` : '—');
    return `a changé la gravité de ${word(from)} à ${word(to)}`;
  },
  historyCategory: (from, to) => `a changé la catégorie de ${q(from)} à ${q(to)}`,
  historyNote: 'a écrit une note\u00a0:',
  historyNoteGone: 'a écrit une note',
  historyPhotos: (count) => `a ajouté ${plural(Number(count) || 1, 'photo', 'photos')}`,
  historyDeployed: (name, id) =>
    name ? `l’a inclus dans l’intervention ${q(name)}` : `l’a inclus dans l’intervention ${id ?? '—'}`,
  historyOther: (field, from, to) => `a changé ${field.replace(/_/g, ' ')} de ${from ?? '—'} à ${to ?? '—'}`,
  plural,
};
