/**
 * The words of moderation (the moderation view, the publication part of the report details,
 * the blur dialog) in English, German and French, in the page's language (../lib/i18n.ts,
 * chosen by ./strings.ts before any view is built). English is the shape the others follow,
 * so a missing translation is a type error.
 */
import { language } from '../lib/i18n';

export type PublicationState = 'pending' | 'published' | 'hidden';
export type PhotoState = 'pending' | 'published' | 'hidden';

const en = {
  nav: 'Moderation',
  navWaiting: (n: number) => `${n} waiting for review`,
  heading: 'Moderation',
  intro:
    'What people sent waits here until someone has looked at it: help requests first, most urgent first. Until then their words and photos are private; a help request shows on the public map only as an area with its category. Barriers wait here only when BARRIER_MODERATION is pre; otherwise they are public at once and can be hidden from their details.',
  keysHint: 'In the list: ↑ and ↓ (or j and k) move, Enter opens the report.',
  count: (n: number) =>
    n === 0 ? 'Nothing waits for review.' : n === 1 ? '1 report waits for review' : `${n} reports wait for review`,
  showing: (shown: number, total: number) => `Showing ${shown} of ${total}.`,
  kindFilter: 'Show',
  kindAll: 'All reports',
  kindHelp: 'Help requests',
  kindBarrier: 'Barriers',
  listLabel: 'Reports waiting for review',
  colReport: 'Report',
  colUrgency: 'Urgency',
  colWaiting: 'Waiting',
  waitingWhat: (words: boolean, photos: number) =>
    [words ? 'text' : '', photos ? (photos === 1 ? '1 photo' : `${photos} photos`) : ''].filter(Boolean).join(', ') ||
    'report',
  loadMore: 'Load more',
  chooseReport: 'Open a report from the list to review it.',
  loading: 'Loading…',
  stateHeading: 'Publication',
  state: {
    pending: 'Words and photos waiting for review',
    published: 'Published',
    hidden: 'Hidden from the public',
  } as Record<PublicationState, string>,
  facts: {
    kind: 'Kind',
    category: 'Category',
    urgency: 'Urgency',
    people: 'People',
    sent: 'Sent',
    contact: 'Contact (never public)',
  },
  noContact: 'none given',
  textLabel: 'Text for the public',
  textHint:
    'Remove names, addresses, flat or house numbers and phone numbers before publishing. This is only the public text: staff keep the reporter’s own words, the exact place and the contact.',
  textChanged: 'Changed: the edited text will be the public one; staff keep the reporter’s own words.',
  noText: 'No text was sent.',
  photosHeading: 'Photos',
  noPhotos: 'No photos.',
  photoState: { pending: 'waiting for review', published: 'public', hidden: 'hidden' } as Record<PhotoState, string>,
  photoCaption: (n: number, state: string) => `Photo ${n}: ${state}`,
  photoAlt: (n: number, id: number) => `Photo ${n} of report ${id}`,
  openPhoto: (n: number) => `Open photo ${n} full size`,
  hidePhoto: (n: number) => `Hide photo ${n}`,
  showPhoto: (n: number) => `Show photo ${n}`,
  publishPhoto: (n: number) => `Publish photo ${n}`,
  blurPhoto: (n: number) => `Blur areas of photo ${n}…`,
  actionsLabel: 'Decision',
  publish: 'Publish…',
  publishNoText: 'Publish without text…',
  hideReport: 'Hide report',
  showReport: 'Show report again…',
  saveText: 'Save text',
  withdraw: 'Back to review',
  skip: 'Skip',
  confirm: {
    publishHeading: (what: string) => `Publish ${what}?`,
    publishIntro: 'Anyone will be able to see on the map and the report page:',
    text: 'Text',
    noText: 'no text',
    people: 'People',
    photos: 'Photos',
    photoCount: (n: number) =>
      n === 0 ? 'none' : n === 1 ? '1 photo (hidden photos stay hidden)' : `${n} photos (hidden photos stay hidden)`,
    publish: 'Publish',
    publishNoText: 'Publish without text',
    showHeading: (what: string) => `Show ${what} to the public again?`,
    showIntro: 'It comes back on the map, in lists and exports, with what was published of it.',
    show: 'Show again',
    cancel: 'Cancel',
  },
  done: {
    published: (id: number) => `Report #${id} is published.`,
    hidden: (id: number) => `Report #${id} is hidden from the public.`,
    shown: (id: number) => `Report #${id} is public again.`,
    textSaved: (id: number) => `The text of report #${id} is saved.`,
    withdrawn: (id: number) => `Report #${id} waits for review again; its words and photos are no longer public.`,
    skipped: (id: number) => `Report #${id} skipped; it stays in the list.`,
    photoHidden: (n: number) => `Photo ${n} is hidden.`,
    photoShown: (n: number) => `Photo ${n} is shown again.`,
    photoPublished: (n: number) => `Photo ${n} is public; the report itself did not change.`,
    blurred: (n: number, areas: number) => `Photo ${n}: ${areas === 1 ? '1 area' : `${areas} areas`} blurred.`,
    next: (id: number) => `Next: report #${id}.`,
    allDone: 'Nothing more waits for review.',
  },
  errors: {
    network: 'The server could not be reached. Nothing was changed; check the connection and try again.',
    forbidden: 'Only coordinators and admins can moderate.',
    notFound: 'This report or photo no longer exists. The list was reloaded.',
    conflict: 'Someone else changed this photo a moment ago. It was reloaded; look at it again and try once more.',
    tooLong: 'The text is too long: at most 4000 characters.',
    invalid: (detail: string) => `The server did not accept this: ${detail}`,
    server: 'Something went wrong on the server. Nothing was changed; try again in a moment.',
    load: 'The list could not be loaded. Check the connection and try again.',
    photo: 'The photo could not be loaded.',
  },
  blur: {
    heading: (n: number, id: number) => `Blur areas of photo ${n} of report #${id}`,
    intro:
      'Mark faces, number plates, house numbers and anything else that identifies someone. The blurred photo replaces this one; the original is deleted.',
    pointerHelp: 'With a mouse, pen or finger: drag across the photo to mark an area.',
    keyHelp:
      'With the keyboard: focus the photo, then arrow keys move the frame, Shift + arrow keys change its size, Enter marks it.',
    stageLabel: (n: number) => `Photo ${n}: mark areas to blur`,
    frame: (x: number, y: number, w: number, h: number) =>
      `Frame at ${x}% from the left, ${y}% from the top, ${w}% wide, ${h}% high.`,
    listHeading: 'Areas to blur',
    none: 'No areas marked yet.',
    area: (n: number, x: number, y: number, w: number, h: number) =>
      `Area ${n}: ${x}% from the left, ${y}% from the top, ${w}% × ${h}%`,
    remove: (n: number) => `Remove area ${n}`,
    added: (n: number) => `Area ${n} marked.`,
    removed: (n: number) => `Area ${n} removed.`,
    submit: (n: number) => (n === 1 ? 'Blur 1 area' : `Blur ${n} areas`),
    needOne: 'Mark at least one area first.',
    working: 'Blurring…',
    cancel: 'Cancel',
  },
  history: {
    published: 'published the words and photos',
    withdrawn: 'took the words and photos back into review',
    hidden: 'hid the report from the public',
    unhidden: 'showed the report to the public again',
    redacted: (from: string, to: string) =>
      `redacted the public text (${from} before, ${to} after; staff keep the reporter’s own words)`,
    photo_published: (n: number) => `showed photo ${n}`,
    photo_hidden: (n: number) => `hid photo ${n}`,
    photo_redacted: (n: number, what: string) => `blurred photo ${n} (${what})`,
  },
};

export type ModerationStrings = typeof en;

const de: ModerationStrings = {
  nav: 'Moderation',
  navWaiting: (n) => `${n} warten auf Prüfung`,
  heading: 'Moderation',
  intro:
    'Was Menschen gesendet haben, wartet hier, bis jemand es angesehen hat: Hilfegesuche zuerst, die dringendsten oben. Bis dahin sind ihre Worte und Fotos privat; ein Hilfegesuch erscheint auf der öffentlichen Karte nur als Gebiet mit seiner Kategorie. Barrieren warten hier nur bei BARRIER_MODERATION=pre; sonst sind sie sofort öffentlich und lassen sich in ihren Details verbergen.',
  keysHint: 'In der Liste: ↑ und ↓ (oder j und k) bewegen, Enter öffnet die Meldung.',
  count: (n) =>
    n === 0
      ? 'Nichts wartet auf Prüfung.'
      : n === 1
        ? '1 Meldung wartet auf Prüfung'
        : `${n} Meldungen warten auf Prüfung`,
  showing: (shown, total) => `${shown} von ${total} angezeigt.`,
  kindFilter: 'Anzeigen',
  kindAll: 'Alle Meldungen',
  kindHelp: 'Hilfegesuche',
  kindBarrier: 'Barrieren',
  listLabel: 'Meldungen, die auf Prüfung warten',
  colReport: 'Meldung',
  colUrgency: 'Dringlichkeit',
  colWaiting: 'Wartet',
  waitingWhat: (words, photos) =>
    [words ? 'Text' : '', photos ? (photos === 1 ? '1 Foto' : `${photos} Fotos`) : ''].filter(Boolean).join(', ') ||
    'Meldung',
  loadMore: 'Weitere laden',
  chooseReport: 'Öffnen Sie eine Meldung aus der Liste, um sie zu prüfen.',
  loading: 'Wird geladen …',
  stateHeading: 'Veröffentlichung',
  state: {
    pending: 'Text und Fotos warten auf Prüfung',
    published: 'Veröffentlicht',
    hidden: 'Für die Öffentlichkeit verborgen',
  },
  facts: {
    kind: 'Art',
    category: 'Kategorie',
    urgency: 'Dringlichkeit',
    people: 'Personen',
    sent: 'Gesendet',
    contact: 'Kontakt (nie öffentlich)',
  },
  noContact: 'keiner angegeben',
  textLabel: 'Text für die Öffentlichkeit',
  textHint:
    'Entfernen Sie vor dem Veröffentlichen Namen, Adressen, Wohnungs- oder Hausnummern und Telefonnummern. Das ist nur der öffentliche Text: Mitarbeitende behalten die eigenen Worte der meldenden Person, den genauen Ort und den Kontakt.',
  textChanged:
    'Geändert: Der bearbeitete Text wird der öffentliche; Mitarbeitende behalten die eigenen Worte der meldenden Person.',
  noText: 'Es wurde kein Text gesendet.',
  photosHeading: 'Fotos',
  noPhotos: 'Keine Fotos.',
  photoState: { pending: 'wartet auf Prüfung', published: 'öffentlich', hidden: 'verborgen' },
  photoCaption: (n, state) => `Foto ${n}: ${state}`,
  photoAlt: (n, id) => `Foto ${n} der Meldung ${id}`,
  openPhoto: (n) => `Foto ${n} in voller Größe öffnen`,
  hidePhoto: (n) => `Foto ${n} verbergen`,
  showPhoto: (n) => `Foto ${n} zeigen`,
  publishPhoto: (n) => `Foto ${n} veröffentlichen`,
  blurPhoto: (n) => `Bereiche von Foto ${n} unkenntlich machen …`,
  actionsLabel: 'Entscheidung',
  publish: 'Veröffentlichen …',
  publishNoText: 'Ohne Text veröffentlichen …',
  hideReport: 'Meldung verbergen',
  showReport: 'Meldung wieder zeigen …',
  saveText: 'Text speichern',
  withdraw: 'Zurück zur Prüfung',
  skip: 'Überspringen',
  confirm: {
    publishHeading: (what) => `${what} veröffentlichen?`,
    publishIntro: 'Alle können dann auf der Karte und der Seite der Meldung sehen:',
    text: 'Text',
    noText: 'kein Text',
    people: 'Personen',
    photos: 'Fotos',
    photoCount: (n) =>
      n === 0
        ? 'keine'
        : n === 1
          ? '1 Foto (verborgene Fotos bleiben verborgen)'
          : `${n} Fotos (verborgene Fotos bleiben verborgen)`,
    publish: 'Veröffentlichen',
    publishNoText: 'Ohne Text veröffentlichen',
    showHeading: (what) => `${what} wieder öffentlich zeigen?`,
    showIntro: 'Sie erscheint wieder auf der Karte, in Listen und Exporten, mit dem, was davon veröffentlicht wurde.',
    show: 'Wieder zeigen',
    cancel: 'Abbrechen',
  },
  done: {
    published: (id) => `Meldung #${id} ist veröffentlicht.`,
    hidden: (id) => `Meldung #${id} ist für die Öffentlichkeit verborgen.`,
    shown: (id) => `Meldung #${id} ist wieder öffentlich.`,
    textSaved: (id) => `Der Text der Meldung #${id} ist gespeichert.`,
    withdrawn: (id) => `Meldung #${id} wartet wieder auf Prüfung; Text und Fotos sind nicht mehr öffentlich.`,
    skipped: (id) => `Meldung #${id} übersprungen; sie bleibt in der Liste.`,
    photoHidden: (n) => `Foto ${n} ist verborgen.`,
    photoShown: (n) => `Foto ${n} wird wieder gezeigt.`,
    photoPublished: (n) => `Foto ${n} ist öffentlich; die Meldung selbst ist unverändert.`,
    blurred: (n, areas) => `Foto ${n}: ${areas === 1 ? '1 Bereich' : `${areas} Bereiche`} unkenntlich gemacht.`,
    next: (id) => `Als Nächstes: Meldung #${id}.`,
    allDone: 'Nichts wartet mehr auf Prüfung.',
  },
  errors: {
    network:
      'Der Server war nicht erreichbar. Nichts wurde geändert; prüfen Sie die Verbindung und versuchen Sie es noch einmal.',
    forbidden: 'Nur Koordinierende und Admins können moderieren.',
    notFound: 'Diese Meldung oder dieses Foto gibt es nicht mehr. Die Liste wurde neu geladen.',
    conflict:
      'Jemand anderes hat dieses Foto gerade geändert. Es wurde neu geladen; sehen Sie es noch einmal an und versuchen Sie es erneut.',
    tooLong: 'Der Text ist zu lang: höchstens 4000 Zeichen.',
    invalid: (detail) => `Der Server hat das nicht angenommen: ${detail}`,
    server: 'Auf dem Server ist etwas schiefgegangen. Nichts wurde geändert; versuchen Sie es gleich noch einmal.',
    load: 'Die Liste konnte nicht geladen werden. Prüfen Sie die Verbindung und versuchen Sie es noch einmal.',
    photo: 'Das Foto konnte nicht geladen werden.',
  },
  blur: {
    heading: (n, id) => `Bereiche von Foto ${n} der Meldung #${id} unkenntlich machen`,
    intro:
      'Markieren Sie Gesichter, Kennzeichen, Hausnummern und alles, woran man jemanden erkennt. Das unkenntlich gemachte Foto ersetzt dieses; das Original wird gelöscht.',
    pointerHelp: 'Mit Maus, Stift oder Finger: über das Foto ziehen, um einen Bereich zu markieren.',
    keyHelp:
      'Mit der Tastatur: das Foto fokussieren, dann verschieben Pfeiltasten den Rahmen, Umschalt + Pfeiltasten ändern seine Größe, Enter markiert ihn.',
    stageLabel: (n) => `Foto ${n}: Bereiche zum Unkenntlichmachen markieren`,
    frame: (x, y, w, h) => `Rahmen bei ${x} % von links, ${y} % von oben, ${w} % breit, ${h} % hoch.`,
    listHeading: 'Bereiche zum Unkenntlichmachen',
    none: 'Noch keine Bereiche markiert.',
    area: (n, x, y, w, h) => `Bereich ${n}: ${x} % von links, ${y} % von oben, ${w} % × ${h} %`,
    remove: (n) => `Bereich ${n} entfernen`,
    added: (n) => `Bereich ${n} markiert.`,
    removed: (n) => `Bereich ${n} entfernt.`,
    submit: (n) => (n === 1 ? '1 Bereich unkenntlich machen' : `${n} Bereiche unkenntlich machen`),
    needOne: 'Markieren Sie zuerst mindestens einen Bereich.',
    working: 'Wird unkenntlich gemacht …',
    cancel: 'Abbrechen',
  },
  history: {
    published: 'hat Text und Fotos veröffentlicht',
    withdrawn: 'hat Text und Fotos zurück in die Prüfung genommen',
    hidden: 'hat die Meldung für die Öffentlichkeit verborgen',
    unhidden: 'hat die Meldung wieder öffentlich gezeigt',
    redacted: (from, to) =>
      `hat den Text gekürzt (vorher ${from}, nachher ${to}; Mitarbeitende behalten die eigenen Worte der meldenden Person)`,
    photo_published: (n) => `hat Foto ${n} gezeigt`,
    photo_hidden: (n) => `hat Foto ${n} verborgen`,
    photo_redacted: (n, what) => `hat Foto ${n} unkenntlich gemacht (${what})`,
  },
};

const fr: ModerationStrings = {
  nav: 'Modération',
  navWaiting: (n) => `${n} en attente de relecture`,
  heading: 'Modération',
  intro:
    'Ce que les personnes ont envoyé attend ici qu’une personne l’ait regardé : les demandes d’aide d’abord, les plus urgentes en tête. D’ici là, leurs mots et leurs photos restent privés ; une demande d’aide n’apparaît sur la carte publique que comme une zone avec sa catégorie. Les obstacles n’attendent ici que si BARRIER_MODERATION vaut pre ; sinon ils sont publics aussitôt et peuvent être masqués depuis leurs détails.',
  keysHint: 'Dans la liste : ↑ et ↓ (ou j et k) pour se déplacer, Entrée ouvre le signalement.',
  count: (n) =>
    n === 0
      ? 'Rien n’attend de relecture.'
      : n === 1
        ? '1 signalement attend une relecture'
        : `${n} signalements attendent une relecture`,
  showing: (shown, total) => `${shown} affichés sur ${total}.`,
  kindFilter: 'Afficher',
  kindAll: 'Tous les signalements',
  kindHelp: 'Demandes d’aide',
  kindBarrier: 'Obstacles',
  listLabel: 'Signalements en attente de relecture',
  colReport: 'Signalement',
  colUrgency: 'Urgence',
  colWaiting: 'En attente',
  waitingWhat: (words, photos) =>
    [words ? 'texte' : '', photos ? (photos === 1 ? '1 photo' : `${photos} photos`) : ''].filter(Boolean).join(', ') ||
    'signalement',
  loadMore: 'Charger la suite',
  chooseReport: 'Ouvrez un signalement de la liste pour le relire.',
  loading: 'Chargement…',
  stateHeading: 'Publication',
  state: {
    pending: 'Texte et photos en attente de relecture',
    published: 'Publié',
    hidden: 'Masqué au public',
  },
  facts: {
    kind: 'Type',
    category: 'Catégorie',
    urgency: 'Urgence',
    people: 'Personnes',
    sent: 'Envoyé',
    contact: 'Contact (jamais public)',
  },
  noContact: 'aucun',
  textLabel: 'Texte pour le public',
  textHint:
    'Retirez les noms, adresses, numéros d’appartement ou de maison et numéros de téléphone avant de publier. Ce n’est que le texte public : l’équipe garde les mots de la personne, le lieu exact et le contact.',
  textChanged: 'Modifié : le texte modifié sera le texte public ; l’équipe garde les mots de la personne.',
  noText: 'Aucun texte envoyé.',
  photosHeading: 'Photos',
  noPhotos: 'Aucune photo.',
  photoState: { pending: 'en attente de relecture', published: 'publique', hidden: 'masquée' },
  photoCaption: (n, state) => `Photo ${n} : ${state}`,
  photoAlt: (n, id) => `Photo ${n} du signalement ${id}`,
  openPhoto: (n) => `Ouvrir la photo ${n} en grand`,
  hidePhoto: (n) => `Masquer la photo ${n}`,
  showPhoto: (n) => `Afficher la photo ${n}`,
  publishPhoto: (n) => `Publier la photo ${n}`,
  blurPhoto: (n) => `Flouter des zones de la photo ${n}…`,
  actionsLabel: 'Décision',
  publish: 'Publier…',
  publishNoText: 'Publier sans le texte…',
  hideReport: 'Masquer le signalement',
  showReport: 'Afficher à nouveau…',
  saveText: 'Enregistrer le texte',
  withdraw: 'Remettre en relecture',
  skip: 'Passer',
  confirm: {
    publishHeading: (what) => `Publier ${what} ?`,
    publishIntro: 'Tout le monde pourra voir sur la carte et la page du signalement :',
    text: 'Texte',
    noText: 'aucun texte',
    people: 'Personnes',
    photos: 'Photos',
    photoCount: (n) =>
      n === 0
        ? 'aucune'
        : n === 1
          ? '1 photo (les photos masquées le restent)'
          : `${n} photos (les photos masquées le restent)`,
    publish: 'Publier',
    publishNoText: 'Publier sans le texte',
    showHeading: (what) => `Rendre ${what} à nouveau public ?`,
    showIntro: 'Il revient sur la carte, dans les listes et les exports, avec ce qui en a été publié.',
    show: 'Afficher à nouveau',
    cancel: 'Annuler',
  },
  done: {
    published: (id) => `Le signalement #${id} est publié.`,
    hidden: (id) => `Le signalement #${id} est masqué au public.`,
    shown: (id) => `Le signalement #${id} est à nouveau public.`,
    textSaved: (id) => `Le texte du signalement #${id} est enregistré.`,
    withdrawn: (id) => `Le signalement #${id} attend à nouveau une relecture ; texte et photos ne sont plus publics.`,
    skipped: (id) => `Signalement #${id} passé ; il reste dans la liste.`,
    photoHidden: (n) => `La photo ${n} est masquée.`,
    photoShown: (n) => `La photo ${n} est à nouveau affichée.`,
    photoPublished: (n) => `La photo ${n} est publique ; le signalement lui-même n’a pas changé.`,
    blurred: (n, areas) => `Photo ${n} : ${areas === 1 ? '1 zone floutée' : `${areas} zones floutées`}.`,
    next: (id) => `Suivant : signalement #${id}.`,
    allDone: 'Plus rien n’attend de relecture.',
  },
  errors: {
    network: 'Le serveur est injoignable. Rien n’a été modifié ; vérifiez la connexion et réessayez.',
    forbidden: 'Seuls les coordinateurs et les administrateurs peuvent modérer.',
    notFound: 'Ce signalement ou cette photo n’existe plus. La liste a été rechargée.',
    conflict:
      'Quelqu’un d’autre vient de modifier cette photo. Elle a été rechargée ; regardez-la à nouveau et réessayez.',
    tooLong: 'Le texte est trop long : 4000 caractères au plus.',
    invalid: (detail) => `Le serveur n’a pas accepté ceci : ${detail}`,
    server: 'Un problème est survenu sur le serveur. Rien n’a été modifié ; réessayez dans un instant.',
    load: 'La liste n’a pas pu être chargée. Vérifiez la connexion et réessayez.',
    photo: 'La photo n’a pas pu être chargée.',
  },
  blur: {
    heading: (n, id) => `Flouter des zones de la photo ${n} du signalement #${id}`,
    intro:
      'Marquez les visages, plaques d’immatriculation, numéros de maison et tout ce qui permet de reconnaître quelqu’un. La photo floutée remplace celle-ci ; l’originale est supprimée.',
    pointerHelp: 'À la souris, au stylet ou au doigt : faites glisser sur la photo pour marquer une zone.',
    keyHelp:
      'Au clavier : placez le focus sur la photo, les flèches déplacent le cadre, Maj + flèches changent sa taille, Entrée le marque.',
    stageLabel: (n) => `Photo ${n} : marquer les zones à flouter`,
    frame: (x, y, w, h) => `Cadre à ${x} % du bord gauche, ${y} % du haut, ${w} % de large, ${h} % de haut.`,
    listHeading: 'Zones à flouter',
    none: 'Aucune zone marquée.',
    area: (n, x, y, w, h) => `Zone ${n} : ${x} % du bord gauche, ${y} % du haut, ${w} % × ${h} %`,
    remove: (n) => `Retirer la zone ${n}`,
    added: (n) => `Zone ${n} marquée.`,
    removed: (n) => `Zone ${n} retirée.`,
    submit: (n) => (n === 1 ? 'Flouter 1 zone' : `Flouter ${n} zones`),
    needOne: 'Marquez d’abord au moins une zone.',
    working: 'Floutage…',
    cancel: 'Annuler',
  },
  history: {
    published: 'a publié le texte et les photos',
    withdrawn: 'a remis le texte et les photos en relecture',
    hidden: 'a masqué le signalement au public',
    unhidden: 'a rendu le signalement à nouveau public',
    redacted: (from, to) => `a expurgé le texte (${from} avant, ${to} après ; l’équipe garde les mots de la personne)`,
    photo_published: (n) => `a affiché la photo ${n}`,
    photo_hidden: (n) => `a masqué la photo ${n}`,
    photo_redacted: (n, what) => `a flouté la photo ${n} (${what})`,
  },
};

const TABLES: Record<string, ModerationStrings> = { en, de, fr };

/** The moderation words in the page's language. */
export function ms(): ModerationStrings {
  return TABLES[language()] ?? en;
}

/** A moderation entry of a report's history in words, or null for any other entry. */
export function moderationHistory(
  action: string,
  field: string | null,
  from: string | null,
  to: string | null,
): string | null {
  const words = ms().history;
  const n = Number(/^photos\[(\d+)\]$/.exec(field ?? '')?.[1] ?? -1) + 1;
  switch (action) {
    case 'published':
    case 'withdrawn':
    case 'hidden':
    case 'unhidden':
      return words[action];
    case 'redacted':
      return words.redacted(from ?? '—', to ?? '—');
    case 'photo_published':
    case 'photo_hidden':
      return n > 0 ? words[action](n) : null;
    case 'photo_redacted':
      return n > 0 ? words.photo_redacted(n, to ?? '') : null;
    default:
      return null;
  }
}
