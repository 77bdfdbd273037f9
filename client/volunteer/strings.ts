/**
 * Every word of the volunteers' phone view. English is the shape German and French follow
 * (./locales/), so a missing translation is a type error; category names come from the
 * server's taxonomy in the page's language.
 */
import { plural } from '../lib/i18n';
import { loadStaffLanguage } from '../lib/staff-language';

const en = {
  appName: 'Wegfrei Volunteers',
  // The join page and the place step have no report yet: the link says where it goes on every step.
  skip: 'Skip to the main content',
  languageNav: 'Language',
  loading: 'Loading…',
  loadFailed: 'This could not be loaded. Check the connection and try again.',
  signIn: 'Sign in',
  signInIntro: 'For volunteers who check reports. You got your account through an invitation.',
  email: 'Email',
  password: 'Password',
  wrongLogin: 'The email or password is not right.',
  staffHere: 'This is a staff account: staff work on the dashboard.',
  logout: 'Sign out',
  joinHeading: 'Join as a volunteer',
  joinIntro: 'Choose the name others in the team see and a password of at least 12 characters.',
  name: 'Your name',
  newPassword: 'Password (at least 12 characters, hard to guess)',
  join: 'Create my account',
  linkGone: 'This invitation link was used already or has expired. Ask your coordinator for a new one.',
  linkMissing: 'The link is incomplete. Open it from the invitation mail again.',
  whereHeading: 'Where are you?',
  whereIntro: 'We show reports near you, nearest first.',
  useLocation: 'Use my location',
  locating: 'Finding your location…',
  locationFailed: 'Your location is not available. Type a place instead.',
  place: 'Or type a place or coordinates',
  placeHint: 'For example “Alexanderplatz” or 52.52, 13.40',
  search: 'Show reports here',
  placeNotFound: 'That place was not found.',
  /** Without a geocoder on the server (GEOCODER_URL): only coordinates are understood. */
  placeHintCoordinates: 'Coordinates, for example 52.52, 13.40',
  placeNeedsCoordinates: 'This server does not search addresses: type coordinates, for example 52.52, 13.40.',
  heading: 'Check reports',
  none: 'No reports near here are waiting for a check. Thank you!',
  position: (i: number, n: number) => `${i} of ${n} near you`,
  reportNumber: (id: number) => `Report #${id}`,
  away: (m: number, dir: string) =>
    m < 15 ? 'Right here' : `${m < 1000 ? `${m} m` : `${(m / 1000).toFixed(1)} km`} ${dir}`,
  directions: ['north', 'north-east', 'east', 'south-east', 'south', 'south-west', 'west', 'north-west'],
  noDescription: 'No description.',
  photoAlt: (i: number, category: string) => `Photo ${i} of the report: ${category}`,
  photoBefore: 'Before',
  photoAfter: 'After the fix',
  question: 'Is this right?',
  confirm: 'Yes, this is right',
  wrongCategory: 'Wrong category',
  flag: 'Flag',
  skipReport: 'Skip',
  pickCategory: 'What is it really?',
  saveCategory: 'Save the category',
  flagReason: 'What is wrong?',
  reasons: {
    not_barrier: 'Not a barrier',
    inappropriate: 'Inappropriate',
    gone: 'Gone, already fixed',
  },
  note: 'Note (optional)',
  sendFlag: 'Send the flag',
  cancel: 'Cancel',
  thanks: {
    confirm: 'Thank you: confirmed.',
    recategorize: 'Thank you: your category is noted.',
    flag: 'Thank you: a coordinator will look at it.',
  },
  verified: 'With your check, enough volunteers agree: the barrier is now verified.',
  recategorized: 'With your check, enough volunteers agree: the category is corrected.',
  checked: (n: number) => `${n} ${plural(n, { one: 'report', other: 'reports' })} checked in this visit.`,
  changePlace: 'Change place',
};

export type VolunteerStrings = typeof en;

export let t: VolunteerStrings = en;

export async function loadVolunteerLanguage(): Promise<void> {
  t = await loadStaffLanguage(en, {
    de: async () => (await import('./locales/de')).de,
    fr: async () => (await import('./locales/fr')).fr,
  });
}
