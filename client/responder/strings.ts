/**
 * Every word of the responder's phone view. English is the shape German and French follow
 * (./locales/), so a missing translation is a type error; category names come from the
 * server's taxonomy in the page's language.
 */
import type { Kind, Severity, Status } from '../lib/api';
import { plural } from '../lib/i18n';
import { loadStaffLanguage } from '../lib/staff-language';

const status: Record<Status, string> = {
  new: 'New',
  verified: 'Verified',
  assigned: 'Assigned',
  in_progress: 'In progress',
  resolved: 'Resolved',
  rejected: 'Rejected',
  duplicate: 'Duplicate',
};

const severity: Record<Kind, Record<Severity, string>> = {
  barrier: { 1: 'Inconvenience', 2: 'Hard to pass', 3: 'Impassable' },
  help: { 1: 'Can wait', 2: 'Needs help soon', 3: 'Urgent' },
};

const en = {
  appName: 'Wegfrei Responder',
  skip: 'Skip to my assignments',
  loading: 'Loading…',
  loadFailed: 'Your assignments could not be loaded. Check the connection and try again.',
  login: {
    heading: 'Sign in',
    intro: 'For responders, coordinators and admins of the organisations using Wegfrei.',
    email: 'Email',
    password: 'Password',
    submit: 'Sign in',
    signingIn: 'Signing in…',
    wrong: 'The email or password is not right.',
    throttled: (s: number | null) =>
      s
        ? `Too many attempts. Please wait ${Math.ceil(s)} ${plural(Math.ceil(s), { one: 'second', other: 'seconds' })} and try again.`
        : 'Too many attempts. Please wait a moment and try again.',
    failed: 'Signing in failed: the server could not be reached.',
  },
  sessionExpired: 'Your session has ended. Please sign in again.',
  logout: 'Sign out',
  heading: 'My assignments',
  count: (n: number) =>
    n === 0
      ? 'Nothing assigned to you or your team right now.'
      : `${n} ${plural(n, { one: 'assignment', other: 'assignments' })}, most urgent first.`,
  refresh: 'Refresh',
  mapLabel: 'Map of my assignments',
  mapHelp: 'Each assignment is also in the list below, with directions.',
  tilesFailed: 'Map images could not load; the list below has everything.',
  reportTitle: (label: string, id: number) => `${label} #${id}`,
  status: (s: Status) => status[s] ?? s,
  severity: (kind: Kind, s: Severity) => severity[kind]?.[s] ?? String(s),
  severityLabel: 'Severity',
  statusLabel: 'Status',
  address: 'Address',
  contact: 'Contact',
  people: 'People',
  noDescription: 'No description.',
  directions: 'Directions',
  directionsHint: ' (OpenStreetMap, opens in a new tab)',
  showOnMap: 'Show on map',
  start: 'Start',
  started: (id: number) => `Report ${id} is now in progress.`,
  resolve: 'Resolve',
  resolveHeading: (id: number) => `Resolve report ${id}`,
  noteLabel: 'What was done?',
  noteHint: 'Staff see this note; it is kept in the report’s history.',
  noteRequired: 'Write a short note about what was done.',
  publicNoteLabel: 'Note for the public (shown on the report page)',
  publicNoteHint: 'Optional. Anyone can read it: no names, phone numbers or other private details.',
  photoLabel: 'Photo (optional)',
  markResolved: 'Mark resolved',
  cancel: 'Cancel',
  sending: 'Sending…',
  resolved: (id: number) => `Report ${id} is resolved. Thank you!`,
  failed: 'The change could not be saved. Nothing was lost — try again.',
  photoFailed: 'The photo could not be uploaded; the report was not changed.',
  photoAlt: (n: number) => `Photo ${n} of the report`,
  languageNav: 'Language',
  zoomIn: 'Zoom in',
  zoomOut: 'Zoom out',
};

export type ResponderStrings = typeof en;

/** The words in the page's language; a live binding, set by loadResponderLanguage(). */
export let t: ResponderStrings = en;

/** Chooses the language (`?lang=`, remembered, browser) and loads its words. */
export async function loadResponderLanguage(): Promise<void> {
  t = await loadStaffLanguage(en, {
    de: () => import('./locales/de').then((m) => m.de),
    fr: () => import('./locales/fr').then((m) => m.fr),
  });
}
