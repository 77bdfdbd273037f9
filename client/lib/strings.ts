/**
 * Every word the citizen app and the report page show, in one place, so that German and
 * French can be added later by swapping this table. Category names come from the server
 * (`labels` / `descriptions`), in the language chosen here.
 */
import type { Kind, Passability, Severity, Status } from './api';

export const lang = 'en';

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

const metres = (m: number) => (m >= 1000 ? `${(m / 1000).toFixed(1)} km` : `${Math.round(m)} m`);
const coords = (lat: number, lon: number) => `${lat.toFixed(5)}, ${lon.toFixed(5)}`;

export const t = {
  appName: 'Wegfrei',
  tagline: 'Barriers and help, on one map',
  skipToForm: 'Skip to the report form',
  skipToContent: 'Skip to content',
  title: 'Report a barrier or ask for help',
  intro: 'No account needed. Your report appears on the public map; contact details never do.',

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
  toList: 'Reports in this map view, as a list',
  tilesFailed: 'Map images could not load; you can still type coordinates.',
  noPlace: 'No place chosen yet.',
  placeChosen: (lat: number, lon: number) => `Place: ${coords(lat, lon)}`,
  accuracy: (m: number) => `±${Math.round(m)} m`,
  placeAnnounce: (lat: number, lon: number, accuracy: number | null) =>
    `Pin set at ${coords(lat, lon)}${accuracy !== null ? `, accurate to ${Math.round(accuracy)} metres` : ''}.`,
  placeInputLabel: 'Address or coordinates',
  placeInputHint: 'For example “52.52, 13.40” (latitude, longitude) or a street address.',
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
  charsLeft: (n: number) => `${n} ${n === 1 ? 'character' : 'characters'} left`,
  photosLegend: 'Photos (optional, up to 5)',
  takePhoto: 'Take a photo',
  choosePhotos: 'Choose from gallery',
  remove: 'Remove',
  /** Read after the visible "Remove", so the button's name starts with what it shows. */
  whichPhoto: (n: number) => ` photo ${n}`,
  photoAlt: (n: number) => `Photo ${n} you chose`,
  photosTooMany: (skipped: number) =>
    `Up to 5 photos. ${skipped} ${skipped === 1 ? 'photo was' : 'photos were'} not added.`,
  photoTooBig: (name: string) => `${name} is larger than 15 MB and was not added.`,
  photoNotImage: (name: string) => `${name} is not an image and was not added.`,
  photoCount: (n: number) => `${n} of 5 photos chosen.`,
  photoGpsSuggest: (lat: number, lon: number, distance: number | null) =>
    `This photo was taken at ${coords(lat, lon)}${distance !== null ? ` (${metres(distance)} from the pin)` : ''} — use this place?`,
  usePhotoPlace: 'Use this place',
  dismiss: 'No, thanks',
  contactLabel: 'Your contact (optional)',
  contactHint:
    'Phone or e-mail, only if you want a reply. Only staff can see it — it is never shown on the map or the report page.',

  /**
   * The server words field errors as predicates ("must be between 1 and 3"); this names the
   * field in front of them. `index` is the position for array fields like photos[0].
   */
  fieldName: (field: string, index: number | null): string | null => {
    const names: Record<string, string> = {
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
    const name = names[field];
    if (!name) return null;
    return index !== null ? `${name} ${index + 1}` : field === 'photos' ? 'Photos' : name;
  },

  // Duplicates
  nearbyHeading: 'Already reported here?',
  nearbyIntro:
    'These open reports of the same kind are within 50 m. If one is yours, confirm it instead of sending a new one.',
  nearbyAnnounce: (n: number) => `${n} similar ${n === 1 ? 'report' : 'reports'} nearby.`,
  confirmInstead: 'Confirm this one instead',
  confirmThanks: 'Thank you! You confirmed it is still there.',
  confirmFailed: 'The confirmation could not be sent. Please try again.',

  // Sending
  send: 'Send report',
  sending: (pct: number) => `Sending report… ${pct}%`,
  sendOffline: 'The report could not be sent: no connection. Nothing is lost — try again when you are online.',
  sendServerError: 'The server could not take the report right now. Nothing is lost — please try again.',
  retry: 'Try again',
  keyReused:
    'An earlier attempt of this report already arrived, before you changed it. Send again to add the changed report as a new one.',
  fixErrors: (n: number) => `Please correct ${n} ${n === 1 ? 'field' : 'fields'}.`,
  sentHeading: 'Thank you — your report was sent',
  sentText: (id: number) => `It is report number ${id}. Its page shows what happens to it.`,
  viewReport: 'View the report page',
  reportAnother: 'Report another',

  // List of reports in view
  listHeading: 'Reports in this map view',
  listCount: (n: number, more: boolean) =>
    n === 0
      ? 'No reports in this map view.'
      : `${n}${more ? '+' : ''} ${n === 1 ? 'report' : 'reports'} in this map view.`,
  listMore: 'Showing the first 100 — zoom in to see the rest.',
  listFailed: 'Reports could not be loaded.',
  clusterCount: (reports: number, groups: number) =>
    reports === 0
      ? 'No reports in this map view.'
      : `${reports} ${reports === 1 ? 'report' : 'reports'} in this map view, in ${groups} ${groups === 1 ? 'group' : 'groups'}. Zoom in to see single reports.`,
  clusterTitle: (n: number) => `${n} ${n === 1 ? 'report' : 'reports'} here`,
  clusterFacts: (barriers: number, help: number, worst: string) =>
    `${barriers} ${barriers === 1 ? 'barrier' : 'barriers'}, ${help} ${help === 1 ? 'help request' : 'help requests'} · most severe: ${worst}`,
  zoomIn: 'Zoom in here',
  away: (m: number) => `${metres(m)} away`,
  fromCentre: (m: number) => `${metres(m)} from the map centre`,
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
    `Help requests are shown only approximately (on a ${grid} m grid) to protect the people who ask.`,
  photosHeading: 'Photos',
  reportPhotoAlt: (n: number, label: string) => `Photo ${n} of the report “${label}”`,
  confirmHeading: 'Is it still there?',
  confirmCounts: (c: { still_there: number; gone: number }) =>
    `${c.still_there} ${c.still_there === 1 ? 'person says' : 'people say'} it is still there, ${c.gone} ${c.gone === 1 ? 'says' : 'say'} it is gone.`,
  stillThere: 'Still there',
  gone: 'Gone',
  confirmRecorded: 'Thank you, your answer was recorded.',
  reportNumber: (id: number) => `Report ${id}`,
  unknownCategory: 'Report',
  date: (iso: string) =>
    new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)),
  metres,
  coords,
};
