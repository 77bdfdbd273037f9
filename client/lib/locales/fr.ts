/**
 * Français. Vouvoiement ; « signalement » pour report, « obstacle » pour barrier.
 * Typographie : espace insécable (\u00a0) avant « : » et dans les guillemets, espace fine
 * insécable (\u202f) avant « ; ? ! ».
 */
import type { Kind, Passability, Severity, Status } from '../api';
import { formatDate, formatDistance, formatNumber, formatPercent, plural } from '../i18n';
import type { Strings } from '../strings';

const severity: Record<Kind, Record<Severity, { label: string; hint: string }>> = {
  barrier: {
    1: { label: 'Gênant', hint: 'On peut passer, mais c’est pénible.' },
    2: { label: 'Difficile à franchir', hint: 'Beaucoup de personnes ne passent qu’avec de l’aide.' },
    3: {
      label: 'Infranchissable',
      hint: 'Impossible de passer en fauteuil roulant, avec une poussette ou un déambulateur.',
    },
  },
  help: {
    1: { label: 'Peut attendre', hint: 'Une aide dans les prochains jours suffit.' },
    2: { label: 'Aide nécessaire bientôt', hint: 'Il faut de l’aide aujourd’hui.' },
    3: { label: 'Urgent', hint: 'Il faut de l’aide maintenant.' },
  },
};

const severityAny: Record<Severity, { label: string; hint: string }> = {
  1: { label: 'Gênant', hint: 'On peut passer, ou l’aide peut attendre.' },
  2: {
    label: 'Difficile à franchir / aide bientôt nécessaire',
    hint: 'Beaucoup ne passent qu’avec de l’aide, ou il faut de l’aide aujourd’hui.',
  },
  3: {
    label: 'Infranchissable / urgent',
    hint: 'Personne ne passe en fauteuil roulant ou avec une poussette, ou il faut de l’aide maintenant.',
  },
};

const status: Record<Status, string> = {
  new: 'Nouveau',
  verified: 'Vérifié',
  assigned: 'Confié à une équipe',
  in_progress: 'En cours de traitement',
  resolved: 'Résolu',
  rejected: 'Refusé',
  duplicate: 'Doublon',
};

const passability: Record<Passability | 'unknown', string> = {
  yes: 'Oui, avec prudence',
  limited: 'Seulement avec de l’aide ou un gros effort',
  no: 'Non, pas du tout',
  unknown: 'Je ne sais pas',
};

const fieldNames: Record<string, string> = {
  lat: 'Latitude',
  lon: 'Longitude',
  accuracy_m: 'Précision',
  address: 'Adresse',
  category: 'Catégorie',
  kind: 'Type',
  severity: 'Gravité',
  passability: 'Praticabilité',
  people_count: 'Nombre de personnes',
  description: 'Description',
  contact: 'Coordonnées',
  photos: 'Photo',
};

const coords = (lat: number, lon: number) => `${lat.toFixed(5)}, ${lon.toFixed(5)}`;
const n = (x: number) => formatNumber(x, { useGrouping: 'min2' });
const reports = (x: number) => `${n(x)} ${plural(x, { one: 'signalement', other: 'signalements' })}`;

export const fr: Strings = {
  appName: 'Wegfrei',
  tagline: 'Obstacles et demandes d’aide, sur une seule carte',
  skipToForm: 'Aller au formulaire de signalement',
  skipToContent: 'Aller au contenu',
  title: 'Signaler un obstacle ou demander de l’aide',
  intro: 'Sans compte. Votre signalement apparaît sur la carte publique\u202f; vos coordonnées, jamais.',
  languageNav: 'Langue',

  offline:
    'Vous êtes hors ligne. Vous pouvez tout de même faire un signalement\u00a0: il est conservé sur cet appareil et envoyé automatiquement dès que vous serez de nouveau en ligne.',
  backOnline: 'Vous êtes de nouveau en ligne.',
  updated: 'Wegfrei a été mis à jour.',
  loadUpdate: 'Charger la nouvelle version',
  install: 'Installer Wegfrei comme application',

  placeHeading: 'Où est-ce\u202f?',
  locateMe: 'Me localiser',
  locating: 'Recherche de votre position…',
  locateFailed: 'Votre position n’a pas pu être trouvée. Touchez la carte ou saisissez des coordonnées.',
  locateUnsupported:
    'Ce navigateur ne peut pas partager votre position. Touchez la carte ou saisissez des coordonnées.',
  pinAtCentre: 'Placer le repère au centre',
  mapLabel: 'Carte',
  mapHelp: 'Touchez la carte pour y placer le repère.',
  mapKeys:
    'Au clavier\u00a0: les flèches déplacent la carte, + et − zooment, Entrée place le repère sur la croix centrale, Maj + flèches déplacent légèrement le repère, Échap quitte la carte.',
  zoomInTitle: 'Zoom avant',
  zoomOutTitle: 'Zoom arrière',
  closePopup: 'Fermer',
  toList: 'Les signalements de cette vue, sous forme de liste',
  tilesFailed:
    'Les images de la carte n’ont pas pu être chargées\u202f; vous pouvez tout de même saisir des coordonnées.',
  noPlace: 'Aucun lieu choisi pour l’instant.',
  placeChosen: (lat, lon) => `Lieu\u00a0: ${coords(lat, lon)}`,
  accuracy: (m) => `±${formatDistance(m)}`,
  placeAnnounce: (lat, lon, accuracy) =>
    `Repère placé à ${coords(lat, lon)}${accuracy !== null ? `, avec une précision de ${n(Math.round(accuracy))} mètres` : ''}.`,
  placeInputLabel: 'Adresse ou coordonnées',
  placeInputHint:
    'Des coordonnées comme «\u00a052.52, 13.40\u00a0» (latitude, longitude) y placent le repère. Une adresse est gardée avec le signalement mais ne déplace pas le repère.',
  placeApply: 'Utiliser',
  addressSaved: 'Adresse enregistrée. Placez aussi le point sur la carte (touchez-la, ou «\u00a0Me localiser\u00a0»).',
  addressSavedWithPoint: 'L’adresse sera envoyée avec le signalement.',
  coordsOutOfRange: 'La latitude doit être comprise entre −90 et 90 et la longitude entre −180 et 180.',
  placeRequired: 'Choisissez un lieu\u00a0: me localiser, toucher la carte ou saisir des coordonnées.',

  categoryHeading: 'Qu’est-ce que c’est\u202f?',
  barrierLegend: 'Obstacle',
  helpLegend: 'J’ai besoin d’aide',
  categoryRequired: 'Choisissez ce que vous signalez.',
  categoriesFailed: 'La liste des catégories n’a pas pu être chargée. Vérifiez votre connexion et rechargez la page.',

  detailsHeading: 'Détails',
  severityLegend: 'Quelle est la gravité\u202f?',
  severityLegendHelp: 'Quelle est l’urgence\u202f?',
  severity: (kind, level) => (kind ? severity[kind][level] : severityAny[level]),
  severityRequired: 'Indiquez la gravité.',
  severityRequiredHelp: 'Indiquez l’urgence.',
  peopleInvalid: 'Saisissez un nombre entier de 1 à 10\u202f000.',
  passabilityLegend: 'Une personne en fauteuil roulant peut-elle passer\u202f?',
  passability: (p) => passability[p],
  peopleLabel: 'Combien de personnes ont besoin d’aide\u202f?',
  descriptionLabel: 'Description (facultatif)',
  descriptionHint: 'Qu’est-ce qui gêne, où exactement, depuis quand\u202f?',
  descriptionHintHelp:
    'De quoi avez-vous besoin, pour quand, pour combien de personnes\u202f? Merci de ne mettre ni adresse, ni noms, ni numéros de téléphone\u00a0: le personnel voit le lieu exact, et vos coordonnées vont dans le champ privé plus bas.',
  charsLeft: (x) => `Il reste ${n(x)} ${plural(x, { one: 'caractère', other: 'caractères' })}`,
  photosLegend: 'Photos (facultatif, 5 au maximum)',
  takePhoto: 'Prendre une photo',
  choosePhotos: 'Choisir dans la galerie',
  remove: 'Retirer',
  whichPhoto: (i) => ` la photo ${i}`,
  photoAlt: (i) => `Photo ${i} que vous avez choisie`,
  photosTooMany: (skipped) =>
    `5 photos au maximum. ${skipped} ${plural(skipped, { one: 'photo n’a pas été ajoutée', other: 'photos n’ont pas été ajoutées' })}.`,
  photoTooBig: (name) => `La photo ${name} dépasse 15\u00a0Mo et n’a pas été ajoutée.`,
  photoNotImage: (name) => `Le fichier ${name} n’est pas une image et n’a pas été ajouté.`,
  photoCount: (x) => `${x} ${plural(x, { one: 'photo choisie', other: 'photos choisies' })} sur 5.`,
  photoGpsSuggest: (lat, lon, distance) =>
    `Cette photo a été prise à ${coords(lat, lon)}${distance !== null ? ` (à ${formatDistance(distance)} du repère)` : ''}. Utiliser ce lieu\u202f?`,
  usePhotoPlace: 'Utiliser ce lieu',
  dismiss: 'Non merci',
  contactLabel: 'Vos coordonnées (facultatif)',
  contactHint:
    'Téléphone ou e-mail, seulement si vous souhaitez une réponse. Seul le personnel peut les voir\u00a0: elles n’apparaissent jamais sur la carte ni sur la page du signalement.',

  fieldName: (field, index) => {
    const name = fieldNames[field];
    if (!name) return null;
    return index !== null ? `${name} ${index + 1}` : field === 'photos' ? 'Photos' : name;
  },
  fieldError: (name, detail) => (name && !/^\p{Lu}/u.test(detail) ? `${name}\u00a0: ${detail}` : detail),

  nearbyHeading: 'Déjà signalé ici\u202f?',
  nearbyIntro:
    'Ces signalements ouverts du même type se trouvent à moins de 50\u00a0m. Si l’un d’eux correspond, confirmez-le plutôt que d’en envoyer un nouveau.',
  nearbyAnnounce: (x) =>
    `${x} ${plural(x, { one: 'signalement similaire', other: 'signalements similaires' })} à proximité.`,
  confirmInstead: 'Confirmer celui-ci à la place',
  confirmThanks: 'Merci\u202f! Vous avez confirmé que le problème est toujours là.',
  confirmFailed: 'La confirmation n’a pas pu être envoyée. Veuillez réessayer.',

  send: 'Envoyer le signalement',
  sending: (pct) => `Envoi du signalement… ${formatPercent(pct / 100)}`,
  sendOffline:
    'Le signalement n’a pas pu être envoyé\u00a0: pas de connexion. Rien n’est perdu, réessayez quand vous serez en ligne.',
  sendServerError:
    'Le serveur ne peut pas recevoir le signalement pour le moment. Rien n’est perdu, veuillez réessayer.',
  retry: 'Réessayer',
  keyReused:
    'Une tentative précédente de ce signalement est déjà arrivée, avant que vous ne le modifiiez. Envoyez-le à nouveau pour ajouter le signalement modifié comme un nouveau.',
  fixErrors: (x) => `Veuillez corriger ${x} ${plural(x, { one: 'champ', other: 'champs' })}.`,
  sentHeading: 'Merci, votre signalement a été envoyé',
  sentText: (id) => `C’est le signalement numéro ${id}. Sa page indique la suite qui lui est donnée.`,
  queuedHeading: 'Enregistré sur cet appareil, en attente d’envoi',
  queuedText:
    'Il n’y a pas de connexion pour le moment. Votre signalement et ses photos sont conservés sur cet appareil et partiront automatiquement dès que vous serez de nouveau en ligne, pendant que Wegfrei est ouvert ou à sa prochaine ouverture.',
  sentLater: (id) => `Votre signalement en attente a été envoyé. C’est le signalement numéro ${id}.`,
  viewReport: 'Voir la page du signalement',
  reportAnother: 'Faire un autre signalement',
  toMyReports: 'Voir mes signalements',

  reviewPending: 'En attente de vérification',
  sentHelpHeading: 'Votre demande est bien arrivée à l’équipe de coordination',
  sentPendingHelpText: (id) =>
    `Vos mots et vos photos restent privés jusqu’à ce que l’équipe de coordination les ait consultés\u202f; elle peut retirer les détails qui permettraient de vous reconnaître. C’est le signalement numéro ${id}.`,
  sentPendingBarrierText: (id) =>
    `L’équipe de coordination le consulte avant qu’il n’apparaisse sur la carte. C’est le signalement numéro ${id}\u202f; vous pouvez le suivre dans «\u00a0Mes signalements\u00a0».`,
  reviewPendingState: (status) => (status ? `En attente de vérification · ${status}` : 'En attente de vérification'),
  reviewPendingWhyHelp:
    'Vos mots et vos photos restent privés jusqu’à ce que l’équipe de coordination les ait consultés.',
  reviewPendingWhyBarrier: 'Il apparaîtra sur la carte dès que l’équipe de coordination l’aura consulté.',
  reviewDetailsPending: 'Détails en attente de vérification',
  reviewDetailsPendingText:
    'La description, le nombre de personnes et les photos seront affichés dès que l’équipe de coordination les aura consultés.',

  myReportsHeading: 'Mes signalements',
  myReportsIntro:
    'Signalements envoyés depuis cet appareil. Cette liste n’est visible que par vous et reste sur cet appareil.',
  myReportsEmpty: 'Aucun signalement n’a encore été envoyé depuis cet appareil.',
  waitingHeading: 'En attente d’envoi',
  waitingIntro: 'Conservés sur cet appareil et envoyés automatiquement dès que vous êtes en ligne.',
  waitingFacts: (made, photos) => `Créé le ${made} · ${photos} ${plural(photos, { one: 'photo', other: 'photos' })}`,
  waitingForConnection: 'En attente d’une connexion.',
  waitingRetry: 'Pas encore envoyé\u202f; une nouvelle tentative aura lieu.',
  waitingSending: 'Envoi en cours…',
  waitingRefused: (detail) => `Le serveur ne l’a pas accepté\u00a0: ${detail}`,
  sendNow: 'Envoyer maintenant',
  sendNowOffline: 'Vous êtes hors ligne. Les signalements en attente partiront dès votre retour en ligne.',
  deleteWaiting: 'Supprimer',
  whichReport: (label) => ` «\u00a0${label}\u00a0»`,
  confirmDelete: 'Supprimer ce signalement de l’appareil\u202f? Il n’a pas encore été envoyé.',
  confirmDeleteYes: 'Oui, supprimer',
  keepIt: 'Le garder',
  deletedWaiting: 'Le signalement a été supprimé de cet appareil.',
  sentListHeading: 'Envoyés',
  myReportFacts: (id, sent) => `Signalement ${id} · envoyé le ${sent}`,
  statusAsOf: (s, when) => `${s} (au ${when})`,
  statusChecking: 'Vérification du statut…',
  statusUnknown: 'Statut pas encore connu.',
  reportWithdrawn: 'N’est plus public (retiré ou refusé).',

  listHeading: 'Signalements dans cette vue',
  listCount: (x, more) =>
    x === 0
      ? 'Aucun signalement dans cette vue.'
      : `${n(x)}${more ? '+' : ''} ${plural(x, { one: 'signalement', other: 'signalements' })} dans cette vue.`,
  listMore: 'Affichage des 100 premiers. Zoomez pour voir les autres.',
  listFailed: 'Les signalements n’ont pas pu être chargés.',
  clusterCount: (total, groups) =>
    total === 0
      ? 'Aucun signalement dans cette vue.'
      : `${reports(total)} dans cette vue, en ${n(groups)} ${plural(groups, { one: 'groupe', other: 'groupes' })}. Zoomez pour voir les signalements un par un.`,
  clusterTitle: (x) => `${reports(x)} ici`,
  clusterFacts: (barriers, help, worst) =>
    `${n(barriers)} ${plural(barriers, { one: 'obstacle', other: 'obstacles' })}, ${n(help)} ${plural(help, { one: 'demande d’aide', other: 'demandes d’aide' })} · le plus grave\u00a0: ${worst}`,
  zoomIn: 'Zoomer ici',
  away: (m) => `à ${formatDistance(m)}`,
  fromCentre: (m) => `à ${formatDistance(m)} du centre de la carte`,
  newTab: ' (s’ouvre dans un nouvel onglet)',
  openReport: 'Ouvrir la page du signalement',
  severityShort: (kind, level) => severity[kind][level].label,
  status: (s) => status[s] ?? s,

  reportTitle: (label) => `${label} — Wegfrei`,
  backToMap: 'Retour à la carte',
  loading: 'Chargement…',
  notFoundHeading: 'Signalement introuvable',
  notFoundText: 'Ce signalement n’existe pas ou a été retiré. Le lien est peut-être erroné.',
  loadFailedHeading: 'Le signalement n’a pas pu être chargé',
  loadFailed: 'Vérifiez votre connexion et rechargez la page.',
  statusLabel: 'Statut',
  severityLabel: 'Gravité',
  passabilityLabel: 'Praticable en fauteuil roulant',
  peopleCountLabel: 'Personnes ayant besoin d’aide',
  addressLabel: 'Adresse',
  reportedLabel: 'Signalé le',
  updatedLabel: 'Dernière mise à jour',
  locationHeading: 'Emplacement',
  approximate: (grid) =>
    `Pour protéger les personnes qui demandent de l’aide, les demandes d’aide ne sont affichées qu’approximativement (sur une grille de ${formatDistance(grid)}).`,
  photosHeading: 'Photos',
  reportPhotoAlt: (i, label) => `Photo ${i} du signalement «\u00a0${label}\u00a0»`,
  confirmHeading: 'Est-ce toujours là\u202f?',
  confirmCounts: (c) =>
    c.still_there + c.gone === 0
      ? 'Personne n’a encore répondu.'
      : `${n(c.still_there)} ${plural(c.still_there, { one: 'personne dit', other: 'personnes disent' })} que c’est toujours là, ${n(c.gone)} ${plural(c.gone, { one: 'dit', other: 'disent' })} que ce n’est plus là.`,
  stillThere: 'Toujours là',
  gone: 'N’est plus là',
  confirmRecorded: 'Merci, votre réponse a été enregistrée.',
  storyHeading: 'Ce qui s’est passé',
  storyStep: (step, team, byPublic) =>
    ({
      reported: 'Signalé',
      published: 'Vérifié et publié par la coordination',
      verified: 'Confirmé par la coordination',
      assigned: team ? `Confié à l’équipe «\u202f${team}\u202f»` : 'Confié à une équipe',
      in_progress: 'Travaux commencés',
      resolved: 'Résolu',
      reopened: byPublic ? 'Rouvert\u202f: quelqu’un dit que ce n’est pas réparé' : 'Rouvert',
      duplicate: 'Marqué comme répétition d’un signalement antérieur',
      merged: 'Un signalement ultérieur de la même chose a été joint à celui-ci',
    })[step] ?? step,
  storyByVolunteers: 'Confirmé par des bénévoles',
  resolutionNoteLabel: 'Note de l’équipe\u202f:',
  nextHeading: 'Et ensuite\u202f?',
  whatNext: (status, kind) =>
    kind === 'help'
      ? {
          new: 'La coordination lit la demande et la transmet à une équipe qui peut aider. Son texte n’est affiché qu’après cette vérification.',
          verified: 'La coordination transmet la demande à une équipe qui peut aider.',
          assigned: 'Une équipe a la demande et prendra contact ou passera.',
          in_progress: 'L’équipe s’en occupe maintenant.',
          resolved: 'L’équipe dit que la personne a reçu de l’aide.',
          duplicate: 'Cette demande répète une demande antérieure. La suite se passe là-bas.',
          rejected: '',
        }[status]
      : {
          new: 'La coordination examine le signalement et le transmet à l’équipe responsable. Si vous passez par là, dites ci-dessous si c’est toujours là.',
          verified: 'Le signalement a été confirmé. Ensuite, la coordination le confie à une équipe pour le réparer.',
          assigned: 'Une équipe a le signalement et viendra le réparer.',
          in_progress: 'L’équipe y travaille en ce moment.',
          resolved:
            'L’équipe dit que c’est réparé. Si vous passez par là, dites-nous ci-dessous si c’est vraiment le cas.',
          duplicate: 'Ce signalement répète un signalement antérieur. Le travail continue là-bas.',
          rejected: '',
        }[status],
  whatNextReopened: (kind) =>
    kind === 'help'
      ? 'Quelqu’un a indiqué que la personne a encore besoin d’aide. La coordination réexamine la demande.'
      : 'Quelqu’un a indiqué que ce n’est pas réparé. La coordination réexamine la réparation et confiera de nouveau le signalement à une équipe.',
  duplicateIntro: 'La même chose a déjà été signalée. Voir le signalement antérieur\u202f:',
  beforeHeading: 'Avant',
  afterHeading: 'Après la réparation',
  afterEarlierHeading: 'Après une réparation précédente',
  afterPhotoAlt: (i, label) => `Photo ${i} de «\u202f${label}\u202f» après la réparation`,
  fixHeading: 'Est-ce vraiment réparé\u202f?',
  fixIntro: 'L’équipe dit que c’est réparé. Si vous y êtes passé depuis, dites-nous si c’est vraiment le cas.',
  fixYes: 'Oui, c’est réparé',
  fixNo: 'Non, ce n’est pas réparé',
  fixPhotoLabel: 'Une photo de l’état actuel (facultatif)',
  fixPhotoHint: 'La coordination regarde la photo avant que d’autres puissent la voir.',
  fixSend: 'Envoyer «\u202fpas réparé\u202f»',
  fixCancel: 'Annuler',
  fixRecorded: 'Merci. Votre réponse a été enregistrée.',
  fixReopened: 'Merci. Le signalement est rouvert, la coordination va l’examiner.',
  fixAlready: 'Vous avez déjà répondu pour cette réparation.',
  fixTooOld:
    'Merci, votre réponse a été enregistrée. Cette réparation date de plus de 90 jours, le signalement n’est donc pas rouvert : si l’obstacle est là maintenant, faites un nouveau signalement depuis la carte.',
  fixNotResolved: 'Le signalement n’est plus marqué comme réparé. Rechargez la page pour voir où il en est.',
  fixFailed: 'Votre réponse n’a pas pu être envoyée. Veuillez réessayer.',
  affectedCount: (x) =>
    x === 0
      ? 'Personne n’a encore dit être concerné.'
      : `${n(x)} ${plural(x, { one: 'personne est concernée', other: 'personnes sont concernées' })}`,
  affectedHeading: 'Cela vous concerne-t-il aussi\u202f?',
  affectsMeToo: 'Me concerne aussi',
  affectedRecorded: 'Merci. Vous avez été compté.',
  affectedSaid: (x) =>
    `${n(x)} ${plural(x, { one: 'personne a dit être concernée', other: 'personnes ont dit être concernées' })}.`,
  affectedAlready: 'Vous êtes déjà compté.',
  affectedFailed: 'L’envoi a échoué. Veuillez réessayer.',
  yourReport: 'Vous avez envoyé ce signalement depuis cet appareil.',
  reportNumber: (id) => `Signalement ${id}`,
  unknownCategory: 'Signalement',
  date: (iso) => formatDate(iso),
  metres: (m) => formatDistance(m),
  coords,
  placeInputHintSearch:
    'Une rue et un numéro, un lieu, ou des coordonnées comme «\u00a052.52, 13.40\u00a0» (latitude, longitude).',
  placeSearch: 'Rechercher',
  searching: 'Recherche…',
  searchResults: 'Lieux trouvés',
  searchFound: (x) =>
    `${n(x)} ${plural(x, { one: 'lieu trouvé', other: 'lieux trouvés' })}. Choisissez-en un pour y placer le repère\u00a0:`,
  searchNone: (q) => `Aucun lieu trouvé pour «\u00a0${q}\u00a0». Vérifiez l’orthographe, ou touchez la carte.`,
  searchUnavailable:
    'La recherche d’adresse ne répond pas pour le moment. Touchez la carte ou saisissez des coordonnées.',
  searchOffline:
    'Vous êtes hors ligne\u00a0: les adresses ne peuvent pas être recherchées. Touchez la carte ou saisissez des coordonnées.',
  searchTooMany: 'Trop de recherches en peu de temps. Attendez une minute, ou touchez la carte.',
  searchChosen: (label) => `Lieu choisi\u00a0: ${label}`,

  locateDenied:
    'L’accès à la position est désactivé pour ce site, Wegfrei ne peut donc pas vous localiser. Touchez la carte à l’endroit voulu (ou déplacez la carte et choisissez «\u00a0Placer le repère au centre\u00a0»), ou autorisez la position pour ce site dans les réglages du navigateur.',
  locateTimeout:
    'Votre position n’a pas été trouvée à temps (pas de signal GPS\u00a0?). Touchez la carte ou saisissez des coordonnées.',
  sendBusy:
    'Le serveur est surchargé pour le moment (votre connexion fonctionne). Rien n’est perdu — réessayez dans une minute.',
  sendUnreachable:
    'Le serveur est injoignable — la connexion est peut-être faible, ou le serveur en panne. Rien n’est perdu — réessayez dans un instant.',
  queuedBusyHeading: 'Enregistré sur cet appareil — le serveur est surchargé',
  queuedBusyText:
    'Le serveur est surchargé pour le moment\u00a0; votre connexion fonctionne. Votre signalement et ses photos restent sur cet appareil (dans «\u00a0Mes signalements\u00a0», «\u00a0En attente d’envoi\u00a0») et seront renvoyés automatiquement dans quelques minutes.',
  queuedUnreachableText:
    'Le serveur est injoignable. Votre signalement et ses photos restent sur cet appareil (dans «\u00a0Mes signalements\u00a0», «\u00a0En attente d’envoi\u00a0») et seront envoyés automatiquement dès qu’il sera joignable.',

  legendHeading: 'Ce que montre la carte',
  legendBarrier: 'Un obstacle (pastille ronde avec son symbole)',
  legendHelp: 'Une demande d’aide (pastille carrée), montrée approximativement',
  legendRing: (level) =>
    [
      'Anneau brun fin\u00a0: gênant, ou l’aide peut attendre',
      'Anneau orange\u00a0: difficile à passer, ou aide bientôt nécessaire',
      'Anneau rouge épais\u00a0: infranchissable, ou urgent',
    ][level - 1]!,
  legendCluster:
    'Un nombre dans un disque bleu\u00a0: autant de signalements proches — plus le disque est grand, plus il y en a. Son anneau montre le plus grave. Touchez-le pour zoomer.',
  legendStack:
    'Une pastille avec un petit nombre\u00a0: plusieurs signalements au même endroit. Touchez-la pour en choisir un.',
  legendCategories: 'Catégories',

  stackTitle: (x) => `${n(x)} signalements à cet endroit`,
  stackChoose: 'Choisissez-en un\u00a0:',

  photoViewerTitle: (label) => `Photos de «\u00a0${label}\u00a0»`,
  photoPosition: (i, total) => `Photo ${i} sur ${total}`,
  photoPrevious: 'Photo précédente',
  photoNext: 'Photo suivante',
  photoClose: 'Fermer',
  photoViewerHelp: 'Balayez ou utilisez les flèches pour la photo suivante ou précédente\u00a0; Échap ferme.',
  photoFailed: 'Cette photo n’a pas pu être chargée.',

  followHeading: 'Suivre ce signalement',
  followIntro: 'Soyez prévenu quand il est vérifié, confié à une équipe ou réparé. Sans compte.',
  followIntroHelp:
    'Soyez prévenu quand la demande est vérifiée, qu’une équipe la prend en charge ou qu’elle est traitée. Sans compte.',
  followEmailLabel: 'Votre adresse e-mail',
  followEmailHint: 'Uniquement pour les messages sur ce signalement. Chaque message contient un lien pour arrêter.',
  followEmailButton: 'Suivre par e-mail',
  followPushButton: 'Suivre par notification',
  followCheckInbox:
    'Consultez votre boîte de réception : nous avons envoyé un lien de confirmation. Rien d’autre n’est envoyé avant votre confirmation.',
  followFollowing: 'Suivi activé : vous recevrez une notification quand ce signalement change.',
  followBlocked:
    'Les notifications sont bloquées pour ce site. Autorisez-les dans les paramètres du site de votre navigateur, ou suivez par e-mail.',
  followEmailInvalid: 'Saisissez une adresse e-mail comme nom@example.org.',
  followFailed: 'Cela n’a pas fonctionné. Vérifiez votre connexion et réessayez.',
  followBusy: 'Trop de demandes en ce moment. Réessayez dans quelques minutes.',
  followUnavailable: 'Le suivi n’est pas disponible sur ce serveur.',
  followPushFailed: 'Les notifications n’ont pas pu être activées dans ce navigateur. Suivez plutôt par e-mail.',
  footerNav: 'Plus de Wegfrei',
  footerOpenData: 'Données ouvertes',
  footerStats: 'Comment les signalements sont traités',
  footerApi: 'API pour les développeurs',
};
