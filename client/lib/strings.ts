/**
 * Every word the citizen app and the report page show. English lives here and is the shape
 * every other language follows (./locales/de.ts, ./locales/fr.ts), so a missing translation
 * is a type error. Category names come from the server (`labels` / `descriptions`).
 *
 * `t` is a live binding: after loadLanguage() every `t.…` read gives the new language, so
 * code re-renders by simply building its elements again.
 */
import type { Kind, Passability, Severity, Status } from './api';
import { formatDate, formatDistance, formatNumber, formatPercent, plural, useLanguage, type Lang } from './i18n';

const severity: Record<Kind, Record<Severity, { label: string; hint: string }>> = {
  barrier: {
    1: { label: 'An inconvenience', hint: 'You can get past, but it is a nuisance.' },
    2: { label: 'Hard to pass', hint: 'Many people can only get past with help.' },
    3: { label: 'Impassable', hint: 'A wheelchair, pram or walker cannot get past.' },
  },
  help: {
    1: { label: 'Can wait', hint: 'Help within the next days is fine.' },
    2: { label: 'Needs help soon', hint: 'Help is needed today.' },
    3: { label: 'Urgent', hint: 'Help is needed now.' },
  },
};

// Before a category is chosen the scale has to make sense for both kinds.
const severityAny: Record<Severity, { label: string; hint: string }> = {
  1: { label: 'An inconvenience', hint: 'You can get past, or help can wait.' },
  2: { label: 'Hard to pass / needs help soon', hint: 'Many people need help to get past, or help is needed today.' },
  3: { label: 'Impassable / urgent', hint: 'Nobody with a wheelchair or pram can get past, or help is needed now.' },
};

const status: Record<Status, string> = {
  new: 'New',
  verified: 'Verified',
  assigned: 'Assigned to a team',
  in_progress: 'Being worked on',
  resolved: 'Resolved',
  rejected: 'Rejected',
  duplicate: 'Duplicate',
};

const passability: Record<Passability | 'unknown', string> = {
  yes: 'Yes, with care',
  limited: 'Only with help or great effort',
  no: 'No, not at all',
  unknown: 'I don’t know',
};

const fieldNames: Record<string, string> = {
  lat: 'Latitude',
  lon: 'Longitude',
  accuracy_m: 'Accuracy',
  address: 'Address',
  category: 'Category',
  kind: 'Kind',
  severity: 'Severity',
  passability: 'Passability',
  people_count: 'Number of people',
  description: 'Description',
  contact: 'Contact',
  photos: 'Photo',
};

/** Coordinates stay in the dot notation every map and GPS app shows, whatever the language. */
const coords = (lat: number, lon: number) => `${lat.toFixed(5)}, ${lon.toFixed(5)}`;
// "min2": 3944 stays 3944, 10000 becomes 10,000 / 10.000 / 10 000.
const n = (x: number) => formatNumber(x, { useGrouping: 'min2' });
const reports = (x: number) => `${n(x)} ${plural(x, { one: 'report', other: 'reports' })}`;

export const en = {
  appName: 'Wegfrei',
  tagline: 'Barriers and help, on one map',
  skipToForm: 'Skip to the report form',
  skipToContent: 'Skip to content',
  title: 'Report a barrier or ask for help',
  intro: 'No account needed. Your report appears on the public map; contact details never do.',
  languageNav: 'Language',

  // The app itself: connection, updates, installing
  offline:
    'You are offline. You can still make a report: it is kept on this phone and sent by itself when you are online again.',
  backOnline: 'You are online again.',
  updated: 'Wegfrei has been updated.',
  loadUpdate: 'Load the new version',
  install: 'Install Wegfrei as an app',

  // Step 1: place
  placeHeading: 'Where is it?',
  locateMe: 'Locate me',
  locating: 'Finding your position…',
  locateFailed: 'Your position could not be found. Tap the map or type coordinates instead.',
  locateUnsupported: 'This browser cannot share your position. Tap the map or type coordinates.',
  pinAtCentre: 'Pin at map centre',
  mapLabel: 'Map',
  mapHelp: 'Tap the map to put the pin there.',
  mapKeys:
    'With a keyboard: arrow keys move the map, + and − zoom, Enter puts the pin at the centre cross, Shift + arrow keys nudge the pin, Escape leaves the map.',
  zoomInTitle: 'Zoom in',
  zoomOutTitle: 'Zoom out',
  closePopup: 'Close',
  toList: 'Reports in this map view, as a list',
  tilesFailed: 'Map images could not load; you can still type coordinates.',
  noPlace: 'No place chosen yet.',
  placeChosen: (lat: number, lon: number) => `Place: ${coords(lat, lon)}`,
  accuracy: (m: number) => `±${formatDistance(m)}`,
  placeAnnounce: (lat: number, lon: number, accuracy: number | null) =>
    `Pin set at ${coords(lat, lon)}${accuracy !== null ? `, accurate to ${n(Math.round(accuracy))} metres` : ''}.`,
  placeInputLabel: 'Address or coordinates',
  placeInputHint:
    'Coordinates like “52.52, 13.40” (latitude, longitude) put the pin there. A street address is kept with the report but does not move the pin.',
  placeApply: 'Use',
  addressSaved: 'Address saved. Please also set the point on the map (tap it, or Locate me).',
  addressSavedWithPoint: 'Address saved with the report.',
  coordsOutOfRange: 'Latitude must be between −90 and 90 and longitude between −180 and 180.',
  placeRequired: 'Choose a place: Locate me, tap the map, or type coordinates.',

  // Step 2: category
  categoryHeading: 'What is it?',
  barrierLegend: 'Barrier',
  helpLegend: 'I need help',
  categoryRequired: 'Choose what you are reporting.',
  categoriesFailed: 'The list of categories could not load. Check your connection and reload.',

  // Step 3: details
  detailsHeading: 'Details',
  severityLegend: 'How bad is it?',
  severityLegendHelp: 'How urgent is it?',
  severity: (kind: Kind | null, level: Severity) => (kind ? severity[kind][level] : severityAny[level]),
  severityRequired: 'Choose how bad it is.',
  severityRequiredHelp: 'Choose how urgent it is.',
  peopleInvalid: 'Enter a whole number from 1 to 10000.',
  passabilityLegend: 'Can a wheelchair user get past?',
  passability: (p: Passability | 'unknown') => passability[p],
  peopleLabel: 'How many people need help?',
  descriptionLabel: 'Description (optional)',
  descriptionHint: 'What is in the way, where exactly, since when?',
  /** A help request's text may be read by many: it asks for nothing that identifies the person. */
  descriptionHintHelp:
    'What do you need, by when, for how many people? Please leave out addresses, names and phone numbers: staff see the exact place, and your contact goes in the private field below.',
  charsLeft: (x: number) => `${n(x)} ${plural(x, { one: 'character', other: 'characters' })} left`,
  photosLegend: 'Photos (optional, up to 5)',
  takePhoto: 'Take a photo',
  choosePhotos: 'Choose from gallery',
  remove: 'Remove',
  /** Read after the visible "Remove", so the button's name starts with what it shows. */
  whichPhoto: (i: number) => ` photo ${i}`,
  photoAlt: (i: number) => `Photo ${i} you chose`,
  photosTooMany: (skipped: number) =>
    `Up to 5 photos. ${skipped} ${plural(skipped, { one: 'photo was', other: 'photos were' })} not added.`,
  photoTooBig: (name: string) => `${name} is larger than 15 MB and was not added.`,
  photoNotImage: (name: string) => `${name} is not an image and was not added.`,
  photoCount: (x: number) => `${x} of 5 photos chosen.`,
  photoGpsSuggest: (lat: number, lon: number, distance: number | null) =>
    `This photo was taken at ${coords(lat, lon)}${distance !== null ? ` (${formatDistance(distance)} from the pin)` : ''} — use this place?`,
  usePhotoPlace: 'Use this place',
  dismiss: 'No, thanks',
  contactLabel: 'Your contact (optional)',
  contactHint:
    'Phone or e-mail, only if you want a reply. Only staff can see it — it is never shown on the map or the report page.',

  /** The name of a field for messages; `index` is the position in array fields like photos[0]. */
  fieldName: (field: string, index: number | null): string | null => {
    const name = fieldNames[field];
    if (!name) return null;
    return index !== null ? `${name} ${index + 1}` : field === 'photos' ? 'Photos' : name;
  },
  /**
   * A field error as shown next to its field. The server words them as predicates ("must be
   * between 1 and 3"), so English puts the field's name in front; sentences stand alone.
   */
  fieldError: (name: string | null, detail: string) =>
    name && !/^\p{Lu}/u.test(detail) ? `${name} ${detail}` : detail,

  // Duplicates
  nearbyHeading: 'Already reported here?',
  nearbyIntro:
    'These open reports of the same kind are within 50 m. If one is yours, confirm it instead of sending a new one.',
  nearbyAnnounce: (x: number) => `${x} similar ${plural(x, { one: 'report', other: 'reports' })} nearby.`,
  confirmInstead: 'Confirm this one instead',
  confirmThanks: 'Thank you! You confirmed it is still there.',
  confirmFailed: 'The confirmation could not be sent. Please try again.',

  // Sending
  send: 'Send report',
  sending: (pct: number) => `Sending report… ${formatPercent(pct / 100)}`,
  sendOffline: 'The report could not be sent: no connection. Nothing is lost — try again when you are online.',
  sendServerError: 'The server could not take the report right now. Nothing is lost — please try again.',
  retry: 'Try again',
  keyReused:
    'An earlier attempt of this report already arrived, before you changed it. Send again to add the changed report as a new one.',
  fixErrors: (x: number) => `Please correct ${x} ${plural(x, { one: 'field', other: 'fields' })}.`,
  sentHeading: 'Thank you — your report was sent',
  sentText: (id: number) => `It is report number ${id}. Its page shows what happens to it.`,
  queuedHeading: 'Saved on this phone — waiting to send',
  queuedText:
    'There is no connection right now. Your report and its photos are kept on this phone and sent by themselves as soon as you are online again — while Wegfrei is open, or the next time you open it.',
  sentLater: (id: number) => `Your waiting report was sent. It is report number ${id}.`,
  viewReport: 'View the report page',
  reportAnother: 'Report another',
  toMyReports: 'See my reports',

  // Moderation: a help request's words and photos, and under pre-moderation a whole barrier,
  // stay private until a coordinator has looked at them.
  reviewPending: 'Waiting for review',
  sentHelpHeading: 'Your request reached the coordinators',
  sentPendingHelpText: (id: number) =>
    `Your words and photos stay private until a coordinator has looked at them; they may remove details that could identify you. It is report number ${id}.`,
  sentPendingBarrierText: (id: number) =>
    `A coordinator looks at it before it appears on the map. It is report number ${id}; you can follow it under My reports.`,
  /** `status` only when it says more than "new". */
  reviewPendingState: (status: string | null) => (status ? `Waiting for review · ${status}` : 'Waiting for review'),
  reviewPendingWhyHelp: 'Your words and photos stay private until a coordinator has looked at them.',
  reviewPendingWhyBarrier: 'It appears on the map once a coordinator has looked at it.',
  reviewDetailsPending: 'Details are waiting for review',
  reviewDetailsPendingText:
    'The description, the number of people and any photos are shown once a coordinator has looked at them.',

  // My reports: waiting and sent
  myReportsHeading: 'My reports',
  myReportsIntro: 'Reports sent from this phone. Only you see this list; it is kept on this device.',
  myReportsEmpty: 'You have not sent a report from this phone yet.',
  waitingHeading: 'Waiting to send',
  waitingIntro: 'Kept on this phone and sent by themselves when you are online.',
  waitingFacts: (made: string, photos: number) =>
    `Made ${made} · ${photos} ${plural(photos, { one: 'photo', other: 'photos' })}`,
  waitingForConnection: 'Waiting for a connection.',
  waitingRetry: 'Not sent yet; it will be tried again.',
  waitingSending: 'Sending…',
  waitingRefused: (detail: string) => `The server did not accept it: ${detail}`,
  sendNow: 'Send now',
  sendNowOffline: 'You are offline. Waiting reports are sent as soon as you are online again.',
  deleteWaiting: 'Delete',
  /** Read after the visible "Delete". */
  whichReport: (label: string) => ` “${label}”`,
  confirmDelete: 'Delete this report from the phone? It has not been sent.',
  confirmDeleteYes: 'Yes, delete it',
  keepIt: 'Keep it',
  deletedWaiting: 'The report was deleted from this phone.',
  sentListHeading: 'Sent',
  myReportFacts: (id: number, sent: string) => `Report ${id} · sent ${sent}`,
  statusAsOf: (s: string, when: string) => `${s} (as of ${when})`,
  statusChecking: 'Checking the status…',
  statusUnknown: 'Status not known yet.',
  reportWithdrawn: 'No longer public (removed or rejected).',

  // List of reports in view
  listHeading: 'Reports in this map view',
  listCount: (x: number, more: boolean) =>
    x === 0
      ? 'No reports in this map view.'
      : `${n(x)}${more ? '+' : ''} ${plural(x, { one: 'report', other: 'reports' })} in this map view.`,
  listMore: 'Showing the first 100 — zoom in to see the rest.',
  listFailed: 'Reports could not be loaded.',
  clusterCount: (total: number, groups: number) =>
    total === 0
      ? 'No reports in this map view.'
      : `${reports(total)} in this map view, in ${n(groups)} ${plural(groups, { one: 'group', other: 'groups' })}. Zoom in to see single reports.`,
  clusterTitle: (x: number) => `${reports(x)} here`,
  clusterFacts: (barriers: number, help: number, worst: string) =>
    `${n(barriers)} ${plural(barriers, { one: 'barrier', other: 'barriers' })}, ${n(help)} ${plural(help, { one: 'help request', other: 'help requests' })} · most severe: ${worst}`,
  zoomIn: 'Zoom in here',
  away: (m: number) => `${formatDistance(m)} away`,
  fromCentre: (m: number) => `${formatDistance(m)} from the map centre`,
  newTab: ' (opens in a new tab)',
  openReport: 'Open report page',
  severityShort: (kind: Kind, level: Severity) => severity[kind][level].label,
  status: (s: Status) => status[s] ?? s,

  // Report page
  reportTitle: (label: string) => `${label} — Wegfrei`,
  backToMap: 'Back to the map',
  loading: 'Loading…',
  notFoundHeading: 'Report not found',
  notFoundText: 'This report does not exist or has been removed. The link may be wrong.',
  loadFailedHeading: 'The report could not be loaded',
  loadFailed: 'Check your connection and reload the page.',
  statusLabel: 'Status',
  severityLabel: 'Severity',
  passabilityLabel: 'Passable with a wheelchair',
  peopleCountLabel: 'People needing help',
  addressLabel: 'Address',
  reportedLabel: 'Reported',
  updatedLabel: 'Last updated',
  locationHeading: 'Location',
  approximate: (grid: number) =>
    `Help requests are shown only approximately (on a ${formatDistance(grid)} grid) to protect the people who ask.`,
  photosHeading: 'Photos',
  reportPhotoAlt: (i: number, label: string) => `Photo ${i} of the report “${label}”`,
  confirmHeading: 'Is it still there?',
  confirmCounts: (c: { still_there: number; gone: number }) =>
    c.still_there + c.gone === 0
      ? 'No one has answered yet.'
      : `${n(c.still_there)} ${plural(c.still_there, { one: 'person says', other: 'people say' })} it is still there, ${n(c.gone)} ${plural(c.gone, { one: 'says', other: 'say' })} it is gone.`,
  stillThere: 'Still there',
  gone: 'Gone',
  confirmRecorded: 'Thank you, your answer was recorded.',
  // The report page's story, its next step, before/after photos, and citizens' judgement (issue 16)
  storyHeading: 'What happened',
  storyStep: (step: string, team: string | null, byPublic: boolean): string =>
    ({
      reported: 'Reported',
      published: 'Checked and published by a coordinator',
      verified: 'Confirmed by a coordinator',
      assigned: team ? `Passed to the team “${team}”` : 'Passed to a team',
      in_progress: 'Work started',
      resolved: 'Resolved',
      reopened: byPublic ? 'Opened again: someone said it is not fixed' : 'Opened again',
      duplicate: 'Marked as a repeat of an earlier report',
      merged: 'A later report of the same thing was added to this one',
    })[step] ?? step,
  storyByVolunteers: 'Confirmed by volunteers',
  resolutionNoteLabel: 'Note from the team:',
  nextHeading: 'What happens next',
  whatNext: (status: Status, kind: Kind): string =>
    kind === 'help'
      ? {
          new: 'A coordinator reads the request and passes it to a team who can help. Its words are shown only after that review.',
          verified: 'A coordinator passes the request to a team who can help.',
          assigned: 'A team has the request and will get in touch or come by.',
          in_progress: 'The team is on it now.',
          resolved: 'The team says the person got help.',
          duplicate: 'This request repeats an earlier one. Help continues there.',
          rejected: '',
        }[status]
      : {
          new: 'A coordinator looks at the report and passes it to the team responsible. If you pass by, say below whether it is still there.',
          verified: 'The report was confirmed. Next, a coordinator passes it to a team to fix it.',
          assigned: 'A team has the report and will come to fix it.',
          in_progress: 'The team is working on it now.',
          resolved: 'The team says it is fixed. If you pass by, tell us below whether it really is.',
          duplicate: 'This report repeats an earlier one. Work continues there.',
          rejected: '',
        }[status],
  whatNextReopened: (kind: Kind): string =>
    kind === 'help'
      ? 'Someone said the person still needs help. The coordination is looking at the request again.'
      : 'Someone said it is not fixed. A coordinator is looking at it again and will pass it back to a team.',
  duplicateIntro: 'The same thing was reported before. See the earlier report:',
  beforeHeading: 'Before',
  afterHeading: 'After the fix',
  /** The same photos on a report opened again: that fix did not hold. */
  afterEarlierHeading: 'After an earlier fix',
  afterPhotoAlt: (i: number, label: string) => `Photo ${i} of “${label}” after the fix`,
  fixHeading: 'Is it really fixed?',
  fixIntro: 'The team says it is fixed. If you have been there since, tell us whether it really is.',
  fixYes: 'Yes, it is fixed',
  fixNo: 'No, it is not fixed',
  fixPhotoLabel: 'A photo of how it looks now (optional)',
  fixPhotoHint: 'A coordinator looks at the photo before anyone else can see it.',
  fixSend: 'Send “not fixed”',
  fixCancel: 'Cancel',
  fixRecorded: 'Thank you. Your answer was recorded.',
  fixReopened: 'Thank you. The report is open again, and a coordinator will look at it.',
  fixAlready: 'You have already answered about this fix.',
  fixTooOld:
    'Thank you, your answer was recorded. This fix is more than 90 days old, so the report is not opened again: if the barrier is there now, please make a new report from the map.',
  fixNotResolved: 'The report is no longer marked as fixed. Reload the page to see where it stands.',
  fixFailed: 'Your answer could not be sent. Please try again.',
  affectedCount: (x: number) =>
    x === 0
      ? 'No one has said yet that it affects them.'
      : `${n(x)} ${plural(x, { one: 'person is', other: 'people are' })} affected`,
  /** On a report no longer open: how many said it affected them (shown when anyone did). */
  affectedSaid: (x: number) => `${n(x)} ${plural(x, { one: 'person', other: 'people' })} said it affected them.`,
  affectedHeading: 'Does it affect you too?',
  affectsMeToo: 'Affects me too',
  affectedRecorded: 'Thank you. You were counted.',
  affectedAlready: 'You are already counted.',
  affectedFailed: 'It could not be sent. Please try again.',
  yourReport: 'You sent this report from this phone.',
  reportNumber: (id: number) => `Report ${id}`,
  unknownCategory: 'Report',
  date: (iso: string) => formatDate(iso),
  metres: (m: number) => formatDistance(m),
  coords,
  // Address search (GEOCODER_URL) and the place field's hint when there is none
  placeInputHintSearch: 'A street and number, a place, or coordinates like “52.52, 13.40” (latitude, longitude).',
  placeSearch: 'Search',
  searching: 'Searching…',
  searchResults: 'Places found',
  searchFound: (x: number) =>
    `${n(x)} ${plural(x, { one: 'place', other: 'places' })} found. Choose one to put the pin there:`,
  searchNone: (q: string) => `No place found for “${q}”. Check the spelling, or tap the map.`,
  searchUnavailable: 'The address search is not answering right now. Tap the map or type coordinates instead.',
  searchOffline: 'You are offline, so addresses cannot be searched. Tap the map or type coordinates.',
  searchTooMany: 'Too many searches in a short time. Wait a minute, or tap the map.',
  searchChosen: (label: string) => `Place chosen: ${label}`,

  // Precise reasons: location permission, a busy server, no connection
  locateDenied:
    'Location access is off for this site, so Wegfrei cannot find you. Tap the map where it is (or move the map and press “Pin at map centre”), or allow location for this site in your browser’s settings.',
  locateTimeout: 'Your position could not be found in time (no GPS signal?). Tap the map or type coordinates instead.',
  sendBusy: 'The server is busy right now (your connection is fine). Nothing is lost — try again in a minute.',
  sendUnreachable:
    'The server could not be reached — the connection may be weak, or the server down. Nothing is lost — try again shortly.',
  queuedBusyHeading: 'Saved on this phone — the server is busy',
  queuedBusyText:
    'The server is busy right now; your connection is fine. Your report and its photos are kept on this phone (under My reports, “Waiting to send”) and are sent again by themselves in a few minutes.',
  queuedUnreachableText:
    'The server could not be reached. Your report and its photos are kept on this phone (under My reports, “Waiting to send”) and are sent by themselves as soon as it can be reached.',

  // Legend of the map
  legendHeading: 'What the map shows',
  legendBarrier: 'A barrier (round badge with its icon)',
  legendHelp: 'A help request (square badge), shown only approximately',
  legendRing: (level: Severity) =>
    [
      'Thin brown ring: an inconvenience, or help can wait',
      'Orange ring: hard to pass, or help needed soon',
      'Thick red ring: impassable, or urgent',
    ][level - 1]!,
  legendCluster:
    'A number in a blue disc: that many reports close together — the larger the disc, the more reports. Its ring shows the most severe of them. Tap it to zoom in.',
  legendStack: 'A badge with a small number: several reports at the same spot. Tap it to choose one.',
  legendCategories: 'Categories',

  // Several reports at one spot
  stackTitle: (x: number) => `${n(x)} reports at this spot`,
  stackChoose: 'Choose one:',

  // Photo viewer
  photoViewerTitle: (label: string) => `Photos of “${label}”`,
  photoPosition: (i: number, total: number) => `Photo ${i} of ${total}`,
  photoPrevious: 'Previous photo',
  photoNext: 'Next photo',
  photoClose: 'Close',
  photoViewerHelp: 'Swipe or use the arrow keys for the next and previous photo; Escape closes.',
  photoFailed: 'This photo could not be loaded.',

  // Following a report (client/citizen/follow.ts)
  followHeading: 'Follow this report',
  followIntro: 'Hear when it is checked, given to a team or fixed. No account needed.',
  followIntroHelp: 'Hear when it is checked, a team takes it on or it is done. No account needed.',
  followEmailLabel: 'Your e-mail address',
  followEmailHint: 'Only for messages about this report. Every message has a link to stop.',
  followEmailButton: 'Follow by e-mail',
  followPushButton: 'Follow by notification',
  followCheckInbox: 'Check your inbox: we sent a link to confirm. Nothing more is sent until you confirm.',
  followFollowing: 'Following: you will get a notification when this report changes.',
  followBlocked:
    'Notifications are blocked for this site. Allow them in your browser’s site settings, or follow by e-mail.',
  followEmailInvalid: 'Enter an e-mail address like name@example.org.',
  followFailed: 'That did not work. Check your connection and try again.',
  followBusy: 'Too many requests right now. Try again in a few minutes.',
  followUnavailable: 'Following is not available on this server.',
  followPushFailed: 'Notifications could not be turned on in this browser. Try following by e-mail.',

  // Page footer
  footerNav: 'More from Wegfrei',
  footerOpenData: 'Open data',
  footerStats: 'How reports are dealt with',
  footerApi: 'API for developers',
};

export type Strings = typeof en;

/** The current language's table; a live binding, reassigned by loadLanguage(). */
export let t: Strings = en;

const tables: Partial<Record<Lang, Strings>> = { en };

/** Other languages load on demand, so a page only carries the words it shows. */
const loaders: Record<Exclude<Lang, 'en'>, () => Promise<Strings>> = {
  de: () => import('./locales/de').then((m) => m.de),
  fr: () => import('./locales/fr').then((m) => m.fr),
};

/**
 * Switches every string, number and date to `lang`. If its table cannot load (offline, and
 * not cached), the page stays in the language it had and this rejects.
 */
export async function loadLanguage(lang: Lang, remember = false): Promise<void> {
  const table = tables[lang] ?? (lang === 'en' ? en : await loaders[lang]());
  tables[lang] = table;
  t = table;
  useLanguage(lang, remember);
}
