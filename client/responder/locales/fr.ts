/**
 * Français pour la vue des intervenants. Vouvoiement ; « signalement » pour report, comme
 * dans l’application citoyenne ; espace insécable avant « : », espace fine avant « ; ! ? ».
 */
import type { Kind, Severity, Status } from '../../lib/api';
import { plural } from '../../lib/i18n';
import type { ResponderStrings } from '../strings';

const status: Record<Status, string> = {
  new: 'Nouveau',
  verified: 'Vérifié',
  assigned: 'Attribué',
  in_progress: 'En cours',
  resolved: 'Résolu',
  rejected: 'Refusé',
  duplicate: 'Doublon',
};

const severity: Record<Kind, Record<Severity, string>> = {
  barrier: { 1: 'Gênant', 2: 'Difficile à franchir', 3: 'Infranchissable' },
  help: { 1: 'Peut attendre', 2: 'Aide bientôt nécessaire', 3: 'Urgent' },
};

export const fr: ResponderStrings = {
  appName: 'Wegfrei Intervention',
  skip: 'Aller à mes missions',
  loading: 'Chargement…',
  loadFailed: 'Vos missions n’ont pas pu être chargées. Vérifiez la connexion et réessayez.',
  login: {
    heading: 'Connexion',
    intro: 'Pour les intervenants, coordinateurs et administrateurs des organisations qui utilisent Wegfrei.',
    email: 'Adresse e-mail',
    password: 'Mot de passe',
    submit: 'Se connecter',
    signingIn: 'Connexion…',
    wrong: 'L’adresse e-mail ou le mot de passe est incorrect.',
    throttled: (s) =>
      s
        ? `Trop de tentatives. Veuillez patienter ${Math.ceil(s)} ${plural(Math.ceil(s), { one: 'seconde', other: 'secondes' })} puis réessayer.`
        : 'Trop de tentatives. Veuillez patienter un instant puis réessayer.',
    failed: 'La connexion a échoué\u00a0: le serveur est injoignable.',
  },
  sessionExpired: 'Votre session a expiré. Veuillez vous reconnecter.',
  logout: 'Se déconnecter',
  heading: 'Mes missions',
  count: (n) =>
    n === 0
      ? 'Rien ne vous est attribué, ni à votre équipe, pour le moment.'
      : `${n} ${plural(n, { one: 'mission', other: 'missions' })}, les plus urgentes d’abord.`,
  refresh: 'Actualiser',
  mapLabel: 'Carte de mes missions',
  mapHelp: 'Chaque mission figure aussi dans la liste ci-dessous, avec l’itinéraire.',
  tilesFailed: 'Le fond de carte n’a pas pu être chargé\u202f; la liste ci-dessous contient tout.',
  reportTitle: (label, id) => `${label} #${id}`,
  status: (s) => status[s] ?? s,
  severity: (kind, s) => severity[kind]?.[s] ?? String(s),
  severityLabel: 'Gravité',
  statusLabel: 'Statut',
  address: 'Adresse',
  contact: 'Contact',
  people: 'Personnes',
  noDescription: 'Aucune description.',
  directions: 'Itinéraire',
  directionsHint: ' (OpenStreetMap, s’ouvre dans un nouvel onglet)',
  showOnMap: 'Voir sur la carte',
  start: 'Commencer',
  started: (id) => `Le signalement ${id} est maintenant en cours.`,
  resolve: 'Résoudre',
  resolveHeading: (id) => `Résoudre le signalement ${id}`,
  noteLabel: 'Qu’avez-vous fait\u202f?',
  noteHint: 'L’équipe voit cette note\u202f; elle reste dans l’historique du signalement.',
  noteRequired: 'Écrivez en quelques mots ce qui a été fait.',
  publicNoteLabel: 'Note pour le public (affichée sur la page du signalement)',
  publicNoteHint:
    'Facultatif. Tout le monde peut la lire\u202f: ni noms, ni numéros de téléphone, ni autre détail privé.',
  photoLabel: 'Photo (facultative)',
  markResolved: 'Marquer comme résolu',
  cancel: 'Annuler',
  sending: 'Envoi…',
  resolved: (id) => `Le signalement ${id} est résolu. Merci\u202f!`,
  failed: 'La modification n’a pas pu être enregistrée. Rien n’est perdu, réessayez.',
  photoFailed: 'La photo n’a pas pu être envoyée\u202f; le signalement n’a pas été modifié.',
  photoAlt: (n) => `Photo ${n} du signalement`,
  languageNav: 'Langue',
  zoomIn: 'Zoom avant',
  zoomOut: 'Zoom arrière',
};
