// Problem details in the caller's language (Accept-Language: en, de, fr). The code keeps
// writing English messages where the error happens — routes, services, zod schemas — and
// this one table turns the known ones into German and French on the way out. A message not
// in the table stays English, which is always correct, only less friendly.
//
// Field details are predicates ("must be between 1 and 3"): clients put the field's name in
// front, so translations stay predicates too and start in lower case.
import type { Request } from 'express';

export const PROBLEM_LANGUAGES = ['en', 'de', 'fr'] as const;
export type ProblemLanguage = (typeof PROBLEM_LANGUAGES)[number];
type Translated = Record<Exclude<ProblemLanguage, 'en'>, string>;

export function problemLanguage(req: Request): ProblemLanguage {
  return (req.acceptsLanguages(...PROBLEM_LANGUAGES) || 'en') as ProblemLanguage;
}

const NB = '\u00a0'; // before a French colon, inside « »
const NNB = '\u202f'; // before a French ; ? !

const titles: Record<string, Translated> = {
  'The request has invalid fields': {
    de: 'Die Anfrage enthält ungültige Felder',
    fr: 'La requête contient des champs invalides',
  },
  'The report has invalid fields': {
    de: 'Die Meldung enthält ungültige Angaben',
    fr: 'Le signalement contient des champs invalides',
  },
  'Invalid report id': { de: 'Ungültige Meldungsnummer', fr: 'Numéro de signalement invalide' },
  'Invalid confirmation': { de: 'Ungültige Bestätigung', fr: 'Confirmation invalide' },
  'Not found': { de: 'Nicht gefunden', fr: 'Introuvable' },
  'Idempotency-Key reused': { de: 'Idempotency-Key wiederverwendet', fr: 'Idempotency-Key réutilisée' },
  'Invalid Idempotency-Key': { de: 'Ungültiger Idempotency-Key', fr: 'Idempotency-Key invalide' },
  'Unsupported Content-Type': { de: 'Nicht unterstützter Content-Type', fr: 'Content-Type non pris en charge' },
  'Photo too large': { de: 'Foto zu groß', fr: 'Photo trop grande' },
  'Too many photos': { de: 'Zu viele Fotos', fr: 'Trop de photos' },
  'Field too large': { de: 'Feld zu groß', fr: 'Champ trop long' },
  'Form too large': { de: 'Formular zu groß', fr: 'Formulaire trop volumineux' },
  'The form could not be read': {
    de: 'Das Formular konnte nicht gelesen werden',
    fr: 'Le formulaire n’a pas pu être lu',
  },
  'The body is not valid JSON': { de: 'Der Inhalt ist kein gültiges JSON', fr: 'Le contenu n’est pas du JSON valide' },
  'The body is too large': { de: 'Der Inhalt ist zu groß', fr: 'Le contenu est trop volumineux' },
  'Bad request': { de: 'Ungültige Anfrage', fr: 'Requête invalide' },
  Conflict: { de: 'Konflikt', fr: 'Conflit' },
  'The request could not be stored': {
    de: 'Die Anfrage konnte nicht gespeichert werden',
    fr: 'La requête n’a pas pu être enregistrée',
  },
  'Service unavailable': { de: 'Dienst nicht verfügbar', fr: 'Service indisponible' },
  'Internal error': { de: 'Interner Fehler', fr: 'Erreur interne' },
  'Unsupported photo': { de: 'Nicht unterstütztes Foto', fr: 'Photo non prise en charge' },
  'Unreadable photo': { de: 'Unlesbares Foto', fr: 'Photo illisible' },
  'Login required': { de: 'Anmeldung erforderlich', fr: 'Connexion requise' },
  'Not allowed': { de: 'Nicht erlaubt', fr: 'Non autorisé' },
  'Missing or wrong CSRF token': { de: 'CSRF-Token fehlt oder ist falsch', fr: 'Jeton CSRF manquant ou incorrect' },
  'Too many failed logins': { de: 'Zu viele fehlgeschlagene Anmeldungen', fr: 'Trop de connexions échouées' },
  'Too many photos at once': { de: 'Zu viele Fotos gleichzeitig', fr: 'Trop de photos à la fois' },
  'Photo is a long animation': { de: 'Das Foto ist eine lange Animation', fr: 'La photo est une longue animation' },
  'Too many reports': { de: 'Zu viele Meldungen', fr: 'Trop de signalements' },
  'Too many exports': { de: 'Zu viele Exporte', fr: 'Trop d’exports' },
  'Too many exports at once': { de: 'Zu viele Exporte gleichzeitig', fr: 'Trop d’exports simultanés' },
  'Too many confirmations': { de: 'Zu viele Bestätigungen', fr: 'Trop de confirmations' },
  'The URL could not be read': { de: 'Die URL konnte nicht gelesen werden', fr: 'L’URL n’a pas pu être lue' },
  'Input too long': { de: 'Eingabe zu lang', fr: 'Saisie trop longue' },
  'Too many requests at once': { de: 'Zu viele Anfragen gleichzeitig', fr: 'Trop de requêtes simultanées' },
  'Too many requests': { de: 'Zu viele Anfragen', fr: 'Trop de requêtes' },
  'The query took too long': { de: 'Die Abfrage hat zu lange gedauert', fr: 'La requête a pris trop de temps' },
  'Login failed': { de: 'Anmeldung fehlgeschlagen', fr: 'Échec de la connexion' },
  'Export too large': { de: 'Export zu groß', fr: 'Export trop volumineux' },
  'Exports busy': { de: 'Exporte ausgelastet', fr: 'Exports saturés' },
  'A release is being built': { de: 'Ein Release wird gerade erstellt', fr: 'Une publication est en cours' },
  'Range not satisfiable': { de: 'Bereich nicht erfüllbar', fr: 'Plage non satisfaisable' },
  'Precondition failed': { de: 'Vorbedingung nicht erfüllt', fr: 'Condition préalable non remplie' },
  'The request names no host this server answers for': {
    de: 'Die Anfrage nennt keinen Host, für den dieser Server zuständig ist',
    fr: 'La requête ne nomme aucun hôte servi par ce serveur',
  },
  'Request timeout': { de: 'Zeitüberschreitung der Anfrage', fr: 'Délai de la requête dépassé' },
  'Address search is off': { de: 'Adresssuche ist aus', fr: 'Recherche d’adresse désactivée' },
  'Address search unavailable': { de: 'Adresssuche nicht verfügbar', fr: 'Recherche d’adresse indisponible' },
  'Too many address searches': { de: 'Zu viele Adresssuchen', fr: 'Trop de recherches d’adresse' },
  'Not on yourself': { de: 'Nicht am eigenen Konto', fr: 'Pas sur votre propre compte' },
};

/** Whole messages: problem details and field details alike. `$1`… are the pattern's groups. */
const messages: [RegExp, Translated][] = [
  // Problem details (sentences)
  [
    /^The request could not be read\.$/,
    { de: 'Die Anfrage konnte nicht gelesen werden.', fr: 'La requête n’a pas pu être lue.' },
  ],
  [/^This already exists\.$/, { de: 'Das gibt es bereits.', fr: 'Cela existe déjà.' }],
  [
    /^Release (\S+) is being built; it appears at (\S+) when done\.$/,
    {
      de: 'Das Release $1 wird gerade erstellt; wenn es fertig ist, steht es unter $2.',
      fr: `La publication $1 est en cours${NNB}; elle sera à l’adresse $2 une fois terminée.`,
    },
  ],
  [
    /^No release has been published yet\.$/,
    { de: 'Es wurde noch kein Release veröffentlicht.', fr: 'Aucune publication n’a encore été faite.' },
  ],
  [
    /^No such release or file; see \/releases\/\.$/,
    {
      de: 'Dieses Release oder diese Datei gibt es nicht; siehe /releases/.',
      fr: `Cette publication ou ce fichier n’existe pas${NNB}; voir /releases/.`,
    },
  ],
  [
    /^Narrow the filters \(a smaller area, fewer days\) or try again later\.$/,
    {
      de: 'Bitte die Filter einschränken (kleineres Gebiet, weniger Tage) oder später erneut versuchen.',
      fr: 'Restreignez les filtres (zone plus petite, moins de jours) ou réessayez plus tard.',
    },
  ],
  [
    /^A value is out of range\.$/,
    { de: 'Ein Wert liegt außerhalb des erlaubten Bereichs.', fr: 'Une valeur est hors des limites autorisées.' },
  ],
  [
    /^Please try again shortly\.$/,
    { de: 'Bitte versuchen Sie es gleich noch einmal.', fr: 'Veuillez réessayer dans un instant.' },
  ],
  [
    /^Something went wrong on our side; quote the request_id\.$/,
    {
      de: 'Bei uns ist etwas schiefgegangen; bitte nennen Sie die request_id.',
      fr: `Une erreur s’est produite de notre côté${NNB}; indiquez le request_id.`,
    },
  ],
  [
    /^Log in as staff to use this\.$/,
    {
      de: 'Dafür ist eine Anmeldung als Mitarbeiter*in nötig.',
      fr: 'Connectez-vous avec un compte du personnel pour cela.',
    },
  ],
  [/^Report (\d+) does not exist\.$/, { de: 'Die Meldung $1 gibt es nicht.', fr: 'Le signalement $1 n’existe pas.' }],
  [
    /^An admin cannot disable or demote their own account\.$/,
    {
      de: 'Ein Admin kann das eigene Konto weder sperren noch herabstufen.',
      fr: 'Un administrateur ne peut ni désactiver ni rétrograder son propre compte.',
    },
  ],
  [
    /^The address search did not answer \((.+)\); try again or set the place on the map\.$/,
    {
      de: 'Die Adresssuche hat nicht geantwortet ($1); bitte erneut versuchen oder den Ort auf der Karte setzen.',
      fr: `La recherche d’adresse n’a pas répondu ($1)${NNB}; réessayez ou placez le lieu sur la carte.`,
    },
  ],
  [
    /^Please wait a minute before searching again\.$/,
    {
      de: 'Bitte eine Minute warten, bevor Sie erneut suchen.',
      fr: 'Veuillez attendre une minute avant de chercher à nouveau.',
    },
  ],
  [/^No resource at (.+)\.$/, { de: 'Unter $1 gibt es nichts.', fr: 'Aucune ressource à l’adresse $1.' }],

  // Field details (predicates)
  [
    /^must be chosen: an assigned report needs a team or a person$/,
    {
      de: 'muss gewählt werden: eine zugewiesene Meldung braucht ein Team oder eine Person',
      fr: `doit être choisi${NB}: un signalement attribué a besoin d’une équipe ou d’une personne`,
    },
  ],
  [
    /^must be another existing report$/,
    { de: 'muss eine andere, vorhandene Meldung sein', fr: 'doit être un autre signalement existant' },
  ],
  [/^(is required|Required)$/, { de: 'ist erforderlich', fr: 'est obligatoire' }],
  [/^must be a number$/, { de: 'muss eine Zahl sein', fr: 'doit être un nombre' }],
  [/^must be a finite number$/, { de: 'muss eine endliche Zahl sein', fr: 'doit être un nombre fini' }],
  [/^must be a whole number$/, { de: 'muss eine ganze Zahl sein', fr: 'doit être un nombre entier' }],
  [/^must be text$/, { de: 'muss Text sein', fr: 'doit être du texte' }],
  [/^must be a category code$/, { de: 'muss ein Kategoriecode sein', fr: 'doit être un code de catégorie' }],
  [
    /^must be between (\S+) and (\S+) \(degrees of latitude\)$/,
    { de: 'muss zwischen $1 und $2 liegen (Grad Breite)', fr: 'doit être compris entre $1 et $2 (degrés de latitude)' },
  ],
  [
    /^must be between (\S+) and (\S+) \(degrees of longitude\)$/,
    { de: 'muss zwischen $1 und $2 liegen (Grad Länge)', fr: 'doit être compris entre $1 et $2 (degrés de longitude)' },
  ],
  [
    /^must be between (\S+) and (\S+)$/,
    { de: 'muss zwischen $1 und $2 liegen', fr: 'doit être compris entre $1 et $2' },
  ],
  [
    /^must be at most (\d+) characters$/,
    { de: 'darf höchstens $1 Zeichen lang sein', fr: 'doit comporter au plus $1 caractères' },
  ],
  [/^must be yes, limited or no$/, { de: 'muss yes, limited oder no sein', fr: 'doit être yes, limited ou no' }],
  [/^must be barrier or help$/, { de: 'muss barrier oder help sein', fr: 'doit être barrier ou help' }],
  [/^must be one of (.+)$/, { de: 'muss einer dieser Werte sein: $1', fr: `doit être l’une de ces valeurs${NB}: $1` }],
  [/^must be still_there or gone$/, { de: 'muss still_there oder gone sein', fr: 'doit être still_there ou gone' }],
  [/^must be a report number$/, { de: 'muss eine Meldungsnummer sein', fr: 'doit être un numéro de signalement' }],
  [
    /^must be an RFC 3339 date-time$/,
    { de: 'muss ein Zeitpunkt nach RFC 3339 sein', fr: 'doit être une date et heure RFC 3339' },
  ],
  [
    /^must be an RFC 3339 date-time \((\S+)\) or an interval start\/end with \.\. for an open end \((\S+)\)$/,
    {
      de: 'muss ein Zeitpunkt nach RFC 3339 sein ($1) oder ein Zeitraum Anfang/Ende, .. für ein offenes Ende ($2)',
      fr: `doit être une date et heure RFC 3339 ($1) ou un intervalle début/fin, .. pour une fin ouverte ($2)`,
    },
  ],
  [
    /^the interval ends before it starts$/,
    { de: 'der Zeitraum endet, bevor er beginnt', fr: 'l’intervalle se termine avant de commencer' },
  ],
  [/^is not a field of a report$/, { de: 'ist kein Feld einer Meldung', fr: 'n’est pas un champ d’un signalement' }],
  [
    /^is not a field of a confirmation$/,
    { de: 'ist kein Feld einer Bestätigung', fr: 'n’est pas un champ d’une confirmation' },
  ],
  [/^is not a filter of this list$/, { de: 'ist kein Filter dieser Liste', fr: 'n’est pas un filtre de cette liste' }],
  [
    /^is not a parameter of this search$/,
    { de: 'ist kein Parameter dieser Suche', fr: 'n’est pas un paramètre de cette recherche' },
  ],
  [
    /^"(.*)" is not a known category code$/,
    { de: '„$1“ ist kein bekannter Kategoriecode', fr: `«${NB}$1${NB}» n’est pas un code de catégorie connu` },
  ],
  [
    /^category (\S+) is a (barrier|help), not a (barrier|help)$/,
    { de: 'die Kategorie $1 ist vom Typ $2, nicht $3', fr: 'la catégorie $1 est de type $2, pas $3' },
  ],
  [/^applies to barriers only$/, { de: 'gilt nur für Barrieren', fr: 's’applique uniquement aux obstacles' }],
  [
    /^applies to help requests only$/,
    { de: 'gilt nur für Hilfegesuche', fr: 's’applique uniquement aux demandes d’aide' },
  ],
  [
    /^was already used for a different report; make a new key for a new report$/,
    {
      de: 'wurde schon für eine andere Meldung verwendet; eine neue Meldung braucht einen neuen Schlüssel',
      fr: `a déjà servi pour un autre signalement${NNB}; créez une nouvelle clé pour un nouveau signalement`,
    },
  ],
  [
    /^must be a UUID made once per report$/,
    {
      de: 'muss eine UUID sein, die einmal pro Meldung erzeugt wird',
      fr: 'doit être un UUID créé une fois par signalement',
    },
  ],
  [
    /^must be multipart\/form-data or application\/json$/,
    {
      de: 'muss multipart/form-data oder application/json sein',
      fr: 'doit être multipart/form-data ou application/json',
    },
  ],
  [
    /^is not a JPEG, PNG, WebP, HEIC or AVIF image$/,
    {
      de: 'ist kein JPEG-, PNG-, WebP-, HEIC- oder AVIF-Bild',
      fr: 'n’est pas une image JPEG, PNG, WebP, HEIC ou AVIF',
    },
  ],
  [/^has more than (\S+) megapixels$/, { de: 'hat mehr als $1 Megapixel', fr: 'dépasse $1 mégapixels' }],
  [
    /^could not be read as an image \(damaged, truncated or disguised\)$/,
    {
      de: 'konnte nicht als Bild gelesen werden (beschädigt, abgeschnitten oder getarnt)',
      fr: 'n’a pas pu être lue comme une image (endommagée, tronquée ou déguisée)',
    },
  ],
  [
    /^each photo must be at most (\S+) MB$/,
    { de: 'jedes Foto darf höchstens $1 MB groß sein', fr: `chaque photo doit faire au plus $1${NB}Mo` },
  ],
  [
    /^at most (\d+) photos per report$/,
    { de: 'höchstens $1 Fotos pro Meldung', fr: 'au plus $1 photos par signalement' },
  ],
  [
    /^files are only accepted in the field "photos"$/,
    {
      de: 'nimmt keine Dateien an; Dateien gehören ins Feld „photos“',
      fr: `n’accepte pas de fichiers${NNB}; ils vont dans le champ «${NB}photos${NB}»`,
    },
  ],
  [/^is too long$/, { de: 'ist zu lang', fr: 'est trop long' }],
  [
    /^is not a complete multipart\/form-data body$/,
    { de: 'ist kein vollständiger multipart/form-data-Inhalt', fr: 'n’est pas un corps multipart/form-data complet' },
  ],
  [/^is not valid JSON$/, { de: 'ist kein gültiges JSON', fr: 'n’est pas du JSON valide' }],
  [
    /^must not contain NUL characters$/,
    { de: 'darf keine NUL-Zeichen enthalten', fr: 'ne doit pas contenir de caractère NUL' },
  ],
  [
    /^is not valid percent-encoding$/,
    { de: 'ist keine gültige Prozentkodierung', fr: 'n’est pas un encodage-pourcent valide' },
  ],
  [/^is not supported$/, { de: 'wird nicht unterstützt', fr: 'n’est pas pris en charge' }],
  [/^could not be read$/, { de: 'konnte nicht gelesen werden', fr: 'n’a pas pu être lu' }],
  [
    /^is an animation of more than (\d+) frames$/,
    { de: 'ist eine Animation mit mehr als $1 Bildern', fr: 'est une animation de plus de $1 images' },
  ],
  [
    /^could not be received now; try again in (\d+) seconds$/,
    {
      de: 'konnte gerade nicht angenommen werden; bitte in $1 Sekunden erneut senden',
      fr: `n’a pas pu être reçue pour l’instant${NNB}; réessayez dans $1 secondes`,
    },
  ],
  [
    /^could not be processed now; try again in (\d+) seconds$/,
    {
      de: 'konnte gerade nicht verarbeitet werden; bitte in $1 Sekunden erneut senden',
      fr: `n’a pas pu être traitée pour l’instant${NNB}; réessayez dans $1 secondes`,
    },
  ],
  [
    /^The server is busy with other photos; send the report again in (\d+) seconds\.$/,
    {
      de: 'Der Server verarbeitet gerade andere Fotos; bitte senden Sie die Meldung in $1 Sekunden erneut.',
      fr: `Le serveur traite d’autres photos${NNB}; renvoyez le signalement dans $1 secondes.`,
    },
  ],
  [
    /^has a field name longer than (\d+) characters$/,
    { de: 'hat einen Feldnamen mit mehr als $1 Zeichen', fr: 'a un nom de champ de plus de $1 caractères' },
  ],
  [/^has more than (\d+) fields$/, { de: 'hat mehr als $1 Felder', fr: 'a plus de $1 champs' }],
  [/^has more than (\d+) parts$/, { de: 'hat mehr als $1 Teile', fr: 'a plus de $1 parties' }],
  [/^has a part without a field name$/, { de: 'hat einen Teil ohne Feldnamen', fr: 'a une partie sans nom de champ' }],
  [
    /^Too many (reports|exports|failed logins) from this network address; (?:please )?try again in (\d+) s\.$/,
    {
      de: 'Zu viele Anfragen von dieser Netzwerkadresse; bitte in $2 s erneut versuchen.',
      fr: `Trop de requêtes depuis cette adresse réseau${NNB}; réessayez dans $2${NB}s.`,
    },
  ],
  [
    /^too many failed attempts; wait (\d+) s$/,
    { de: 'zu viele Fehlversuche; bitte $1 s warten', fr: `trop de tentatives échouées${NNB}; attendez $1${NB}s` },
  ],
  [
    /^Too many confirmations from this network address; please try again in (\d+) s\.$/,
    {
      de: 'Zu viele Bestätigungen von dieser Netzwerkadresse; bitte in $1 s erneut versuchen.',
      fr: `Trop de confirmations depuis cette adresse réseau${NNB}; réessayez dans $1${NB}s.`,
    },
  ],
  [
    /^must be a UUID made once per device$/,
    {
      de: 'muss eine UUID sein, die einmal pro Gerät erzeugt wird',
      fr: 'doit être un UUID créé une fois par appareil',
    },
  ],
  [/^is larger than allowed$/, { de: 'ist größer als erlaubt', fr: 'dépasse la taille autorisée' }],
  [
    /^must be four numbers: minLon,minLat,maxLon,maxLat \(or six, with heights\)$/,
    {
      de: 'muss aus vier Zahlen bestehen: minLon,minLat,maxLon,maxLat (oder sechs, mit Höhen)',
      fr: `doit comporter quatre nombres${NB}: minLon,minLat,maxLon,maxLat (ou six, avec les hauteurs)`,
    },
  ],
  [
    /^longitudes must be within ±180 and latitudes within ±90$/,
    {
      de: 'muss Längen innerhalb von ±180 und Breiten innerhalb von ±90 haben',
      fr: 'doit avoir des longitudes comprises dans ±180 et des latitudes dans ±90',
    },
  ],
  [
    /^minLat must not be greater than maxLat$/,
    { de: 'minLat darf nicht größer als maxLat sein', fr: 'minLat ne doit pas dépasser maxLat' },
  ],
  [
    /^is not a cursor this list gave out$/,
    { de: 'ist kein Cursor, den diese Liste ausgegeben hat', fr: 'n’est pas un curseur fourni par cette liste' },
  ],
  [
    /^may be at most (\d+) days back below zoom (\d+); zoom in, or use the list or an export for older changes$/,
    {
      de: 'darf unterhalb von Zoomstufe $2 höchstens $1 Tage zurückreichen; bitte hineinzoomen oder für ältere Änderungen die Liste oder einen Export nutzen',
      fr: `ne peut remonter qu’à $1 jours sous le niveau de zoom $2${NNB}; zoomez, ou utilisez la liste ou un export pour les changements plus anciens`,
    },
  ],
  [
    /^must be a number of at most (\d+) characters$/,
    { de: 'muss eine Zahl mit höchstens $1 Zeichen sein', fr: 'doit être un nombre d’au plus $1 caractères' },
  ],
  [
    /^must have at most (\d+) parameters$/,
    { de: 'darf höchstens $1 Parameter haben', fr: 'doit avoir au plus $1 paramètres' },
  ],
  [
    /^may be given at most (\d+) times$/,
    { de: 'darf höchstens $1-mal angegeben werden', fr: 'peut être indiqué au plus $1 fois' },
  ],
  [
    /^has a parameter name longer than (\d+) characters$/,
    { de: 'hat einen Parameternamen mit mehr als $1 Zeichen', fr: 'a un nom de paramètre de plus de $1 caractères' },
  ],
  [
    /^is too large for this zoom \(or crosses the antimeridian\); zoom out or split it$/,
    {
      de: 'ist für diese Zoomstufe zu groß (oder überquert den 180. Längengrad); bitte verkleinern oder aufteilen',
      fr: `est trop grande pour ce niveau de zoom (ou traverse l’antiméridien)${NNB}; dézoomez ou découpez-la`,
    },
  ],
  // Logins and passwords. zxcvbn's own advice after "is too easy to guess" stays English.
  [/^Try again in (\d+) s\.$/, { de: 'Bitte in $1 s erneut versuchen.', fr: `Réessayez dans $1${NB}s.` }],
  [
    /^must be at least (\d+) characters$/,
    { de: 'muss mindestens $1 Zeichen lang sein', fr: 'doit comporter au moins $1 caractères' },
  ],
  [
    /^is too easy to guess[:.] (.+)$/,
    {
      de: 'ist zu leicht zu erraten (Hinweis auf Englisch: $1)',
      fr: `est trop facile à deviner (conseil en anglais${NB}: $1)`,
    },
  ],
  [
    /^The email or password is wrong, or the account is disabled\.$/,
    {
      de: 'E-Mail oder Passwort sind falsch, oder das Konto ist gesperrt.',
      fr: 'L’e-mail ou le mot de passe est incorrect, ou le compte est désactivé.',
    },
  ],
  [
    /^does not match the email, or the account is disabled$/,
    {
      de: 'passt nicht zur E-Mail, oder das Konto ist gesperrt',
      fr: 'ne correspond pas à l’e-mail, ou le compte est désactivé',
    },
  ],
  [
    /^This export would be larger than (\d+) MB; narrow it with bbox, datetime, category, kind, status or severity\.$/,
    {
      de: 'Dieser Export wäre größer als $1 MB; grenzen Sie ihn mit bbox, datetime, category, kind, status oder severity ein.',
      fr: `Cet export dépasserait $1${NB}Mo${NNB}; restreignez-le avec bbox, datetime, category, kind, status ou severity.`,
    },
  ],
  [
    /^Many large exports are being prepared at once; please try again in a minute\.$/,
    {
      de: 'Gerade werden viele große Exporte vorbereitet; bitte versuchen Sie es in einer Minute noch einmal.',
      fr: `De nombreux exports volumineux sont en préparation${NNB}; veuillez réessayer dans une minute.`,
    },
  ],
  [
    /^Other exports from this network address are using its share of the server’s space for exports; please try again once they are done\.$/,
    {
      de: 'Andere Exporte von dieser Netzwerkadresse belegen ihren Anteil am Speicherplatz des Servers für Exporte; bitte versuchen Sie es erneut, wenn sie fertig sind.',
      fr: `D’autres exports depuis cette adresse réseau occupent sa part de l’espace du serveur pour les exports${NNB}; veuillez réessayer une fois qu’ils sont terminés.`,
    },
  ],
  [
    /^The server is short of disk space for exports; please try again later\.$/,
    {
      de: 'Dem Server fehlt Speicherplatz für Exporte; bitte versuchen Sie es später noch einmal.',
      fr: `Le serveur manque d’espace disque pour les exports${NNB}; veuillez réessayer plus tard.`,
    },
  ],
  // The Host header (server/http/host.ts)
  [
    /^must be a host name or address with an optional port$/,
    {
      de: 'muss ein Hostname oder eine Adresse sein, optional mit Port',
      fr: 'doit être un nom d’hôte ou une adresse, avec un port facultatif',
    },
  ],
  [
    /^is not a host this server answers for$/,
    { de: 'ist kein Host, für den dieser Server zuständig ist', fr: 'n’est pas un hôte servi par ce serveur' },
  ],
  [/^must be http or https$/, { de: 'muss http oder https sein', fr: 'doit être http ou https' }],
  // Slow clients and the upload share of an address (server/http/slow-clients.ts, photos.budget.ts)
  [
    /^Too many photos are arriving from this network address at once; send the report again in (\d+) seconds\.$/,
    {
      de: 'Von dieser Netzwerkadresse kommen gerade zu viele Fotos auf einmal; bitte senden Sie die Meldung in $1 Sekunden erneut.',
      fr: `Trop de photos arrivent à la fois depuis cette adresse réseau${NNB}; renvoyez le signalement dans $1 secondes.`,
    },
  ],
  [
    /^Nothing of the request arrived for (\d+) seconds; please send it again\.$/,
    {
      de: 'Von der Anfrage ist $1 Sekunden lang nichts angekommen; bitte senden Sie sie erneut.',
      fr: `Rien de la requête n’est arrivé pendant $1 secondes${NNB}; veuillez la renvoyer.`,
    },
  ],
  [
    /^The request arrived slower than (\d+) bytes per second; please send it again\.$/,
    {
      de: 'Die Anfrage kam langsamer als $1 Bytes pro Sekunde an; bitte senden Sie sie erneut.',
      fr: `La requête est arrivée à moins de $1 octets par seconde${NNB}; veuillez la renvoyer.`,
    },
  ],
  [
    /^stopped arriving for (\d+) seconds$/,
    { de: 'kam $1 Sekunden lang nicht an', fr: `n’est plus arrivé pendant $1 secondes` },
  ],
  [
    /^arrived slower than (\d+) bytes per second$/,
    { de: 'kam langsamer als $1 Bytes pro Sekunde an', fr: 'est arrivé à moins de $1 octets par seconde' },
  ],
];

export function translateTitle(title: string, lang: ProblemLanguage): string {
  return lang === 'en' ? title : (titles[title]?.[lang] ?? title);
}

export function translateMessage(message: string, lang: ProblemLanguage): string {
  if (lang === 'en') return message;
  for (const [pattern, translated] of messages) {
    const m = pattern.exec(message);
    if (m) return translated[lang].replace(/\$(\d)/g, (_, i: string) => m[Number(i)] ?? '');
  }
  return message;
}

export interface ProblemText {
  title: string;
  detail: string;
  errors: { field: string; detail: string }[];
}

/**
 * The title, detail and field details of a problem in `lang`. A detail that only lists the
 * field errors (as AppError.validation writes it) is rebuilt from their translations.
 */
export function localiseProblem(problem: ProblemText, lang: ProblemLanguage): ProblemText {
  if (lang === 'en') return problem;
  const errors = problem.errors.map((e) => ({ ...e, detail: translateMessage(e.detail, lang) }));
  const listsErrors =
    errors.length > 0 && problem.detail === problem.errors.map((e) => `${e.field}: ${e.detail}`).join('; ');
  return {
    title: translateTitle(problem.title, lang),
    detail: listsErrors
      ? errors.map((e) => `${e.field}${lang === 'fr' ? NB : ''}: ${e.detail}`).join('; ')
      : translateMessage(problem.detail, lang),
    errors,
  };
}
