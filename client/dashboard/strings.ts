/**
 * Every word the staff dashboard shows, in English here and in German and French in
 * ./locales/ (a word missing there is a type error: add it to each). Category names come
 * from the server's taxonomy (`labels`) in the page's language; the moderation words are in
 * ./moderation-strings.ts.
 */
import type { Kind, Severity, Status } from '../lib/api';
import { loadStaffLanguage } from '../lib/staff-language';
import type { Role } from '../lib/staff-api';
import { moderationHistory } from './moderation-strings';

const status: Record<Status, string> = {
  new: 'New',
  verified: 'Verified',
  assigned: 'Assigned',
  in_progress: 'In progress',
  resolved: 'Resolved',
  rejected: 'Rejected',
  duplicate: 'Duplicate',
};

/** What the button that moves a report to a status says. */
const transition: Record<Status, string> = {
  new: 'Reopen',
  verified: 'Verify',
  assigned: 'Mark assigned',
  in_progress: 'Start work',
  resolved: 'Resolve',
  rejected: 'Reject',
  duplicate: 'Mark duplicate',
};

const severity: Record<Kind, Record<Severity, string>> = {
  barrier: { 1: 'Inconvenience', 2: 'Hard to pass', 3: 'Impassable' },
  help: { 1: 'Can wait', 2: 'Needs help soon', 3: 'Urgent' },
};

const roles: Record<Role, string> = { admin: 'Admin', coordinator: 'Coordinator', responder: 'Responder' };
/** The channels a report comes through (`source`; server/features/reports/reports.repo.ts). */
const source: Record<string, string> = {
  web: 'Web app',
  open311: 'Open311',
  sms: 'SMS',
  telegram: 'Telegram',
  import: 'Import',
  staff: 'Staff',
};

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** English: the shape every other language follows (./locales/), so a missing word is a type error. */
const en = {
  appName: 'Wegfrei Staff',
  skip: 'Skip to content',
  loading: 'Loading…',
  loadFailed: 'Could not load the dashboard. Check the connection and reload.',
  sections: 'Sections',
  nav: { triage: 'Triage', deployments: 'Deployments', overview: 'Overview', admin: 'Admin' },
  signedInAs: (name: string, role: Role) => `${name} (${roles[role]})`,
  logout: 'Sign out',
  languageNav: 'Language',
  sessionExpired: 'Your session has ended. Please sign in again.',
  notStaffApp: 'This dashboard is for coordinators and admins. Responders use the phone view:',
  responderLink: 'My assignments',
  login: {
    heading: 'Sign in to Wegfrei Staff',
    intro: 'For coordinators and admins of the organisations using Wegfrei.',
    email: 'Email',
    password: 'Password',
    submit: 'Sign in',
    signingIn: 'Signing in…',
    wrong: 'The email or password is not right.',
    throttled: (s: number | null) =>
      `Too many attempts. Please wait${s ? ` ${plural(Math.ceil(s), 'second', 'seconds')}` : ' a moment'} and try again.`,
    failed: 'Signing in failed: the server could not be reached.',
  },

  status: (s: Status) => status[s] ?? s,
  transition: (s: Status) => transition[s] ?? s,
  severity: (kind: Kind, s: Severity) => severity[kind]?.[s] ?? String(s),
  kind: (k: Kind): string => (k === 'help' ? 'Help request' : 'Barrier'),
  role: (r: Role) => roles[r] ?? r,
  reportNo: (id: number) => `#${id}`,
  date: (iso: string) =>
    new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)),
  ago: (iso: string) => {
    const min = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 60_000));
    if (min < 1) return 'just now';
    if (min < 60) return `${min} min ago`;
    if (min < 48 * 60) return `${Math.round(min / 60)} h ago`;
    return `${Math.round(min / 1440)} days ago`;
  },

  // Filters
  filters: 'Filters',
  category: 'Category',
  kindLabel: 'Kind',
  statusLabel: 'Status',
  any: 'Any',
  openStatuses: 'Open',
  allStatuses: 'All statuses',
  barriers: 'Barriers',
  helpRequests: 'Help requests',

  // The queue's search, its other filters and its true total (issue 13)
  searchLabel: 'Search reports',
  searchHint: 'A report number (3001 or #3001), words of the description or a note, or an address.',
  searchButton: 'Search',
  numberFound: (id: number, state: string) => `Report #${id} (${state}).`,
  numberOutside: 'It is not in the list under these filters.',
  numberMissing: (id: number) => `There is no report #${id}, or it is not yours to see.`,
  openNumber: (id: number) => `Open report #${id}`,
  moreFilters: (on: number) => (on ? `More filters (${on} on)` : 'More filters'),
  teamFilter: 'Team',
  channelFilter: 'Channel',
  anyTeam: 'Any team',
  noTeamAssigned: 'No team',
  assigneeFilter: 'Assigned to',
  anyone: 'Anyone',
  nobodyInParticular: 'Nobody in particular',
  createdFrom: 'Created from',
  createdTo: 'Created until',
  datesReversed: 'The end date is before the start date.',
  mapAreaButton: 'Only this map view',
  mapAreaOn: 'Only the chosen map view',
  mapAreaUpdate: 'Use the current map view',
  clearFilters: 'Clear filters',
  queueShowing: (shown: string, total: string, count: number, which: Status | 'open' | 'all') => {
    const adjective: Record<Status | 'open' | 'all', string> = {
      open: 'open ',
      all: '',
      new: 'new ',
      verified: 'verified ',
      assigned: 'assigned ',
      in_progress: 'in-progress ',
      resolved: 'resolved ',
      rejected: 'rejected ',
      duplicate: 'duplicate ',
    };
    return `Showing ${shown} of ${total} ${adjective[which]}${count === 1 ? 'report' : 'reports'}`;
  },
  queueNoneFound: (which: Status | 'open' | 'all') =>
    which === 'open' ? 'No open reports' : which === 'all' ? 'No reports' : `No ${status[which].toLowerCase()} reports`,
  filteredBy: (parts: string[]) => `Filters: ${parts.join('; ')}.`,
  saysCategory: (label: string) => `category ${label}`,
  saysKind: (kind: Kind): string => (kind === 'help' ? 'help requests only' : 'barriers only'),
  saysTeam: (name: string) => `team ${name}`,
  saysChannel: (label: string) => `channel ${label}`,
  saysNoTeam: 'no team',
  saysAssignee: (name: string) => `assigned to ${name}`,
  saysNobody: 'assigned to nobody in particular',
  saysCreated: (from: string | null, to: string | null) =>
    from && to ? `created ${from} to ${to}` : from ? `created from ${from}` : `created until ${to ?? ''}`,
  saysSearch: (q: string) => `matching “${q}”`,
  saysArea: 'in the chosen map view',
  loadMoreOf: (next: number, left: string) => `Show the next ${next} (${left} more)`,

  // Map
  mapLabel: 'Map of reports',
  zoomIn: 'Zoom in',
  zoomOut: 'Zoom out',
  mapHelp: 'Arrow keys pan, + and − zoom. Reports on the map are also listed in the triage queue. Tab leaves the map.',
  mapSummary: (reports: number, clusters: number) =>
    reports === 0
      ? 'No reports in this map view.'
      : clusters > 0
        ? `${plural(reports, 'report', 'reports')} in this map view, in ${plural(clusters, 'group', 'groups')}.`
        : `${plural(reports, 'report', 'reports')} in this map view.`,
  tilesFailed: 'Basemap images could not load; reports are still shown.',
  legend: 'Legend',
  legendBarrier: 'Barriers',
  legendHelp: 'Help requests',
  legendMixed: 'Ring: share of barriers (blue) and help requests (orange)',
  legendSeverity: (s: Severity) => ['', 'Highest severity 1', 'Highest severity 2', 'Highest severity 3'][s] ?? '',
  legendClosed: 'Closed (resolved, rejected, duplicate)',
  clusterHeading: (n: number) => `${plural(n, 'report', 'reports')} here`,
  clusterMore: (shown: number, total: number) => `Showing ${shown} of ${total}. Zoom in for the rest.`,

  // Queue
  queueHeading: 'Triage queue',
  queueCaption: (n: number) => `${plural(n, 'open report', 'open reports')}, most urgent first`,
  queueEmpty: 'No reports match the filters.',
  queueFailed: 'The queue could not be loaded.',
  reload: 'Reload',
  loadMore: 'Load the next 100',
  colSelect: 'Select',
  colReport: 'Report',
  colPriority: 'Priority',
  colSeverity: 'Severity',
  colStatus: 'Status',
  selectRow: (id: number) => `Select report ${id}`,
  selectAll: 'Select all reports in the queue',
  assignTeam: 'Team for “assign”',
  noTeam: 'Choose a team',
  selected: (n: number) => `${plural(n, 'report', 'reports')} selected`,
  bulkVerify: 'Verify selected',
  bulkReject: 'Reject selected',
  bulkAssign: 'Assign selected to team',
  chooseTeamFirst: 'Choose the team for “assign” first.',
  notAllowed: (id: number, s: Status) => `Report ${id} cannot be set to ${status[s]} from its current status.`,
  changed: (id: number, what: string) => `Report ${id}: ${what}.`,
  newReport: (label: string, sev: string) => `New report: ${label}, ${sev}`,
  newReports: (n: number) => `${n} new reports in the queue.`,
  shortcutsButton: 'Keyboard shortcuts',
  shortcutsHeading: 'Keyboard shortcuts',
  shortcutsIntro: 'In the triage queue. They do nothing while you type in a field.',
  close: 'Close',
  shortcuts: [
    ['j or ↓', 'Next report'],
    ['k or ↑', 'Previous report'],
    ['Enter', 'Open the report’s details'],
    ['v', 'Verify'],
    ['r', 'Reject (the notice offers Undo for 8 seconds)'],
    ['u', 'Undo the last verify, reject, assign or duplicate'],
    ['a', 'Assign to the team chosen above the queue'],
    ['d', 'Mark as duplicate (asks for the original report)'],
    ['x', 'Select or unselect for bulk actions'],
    ['Shift + V', 'Verify all selected reports'],
    ['Escape', 'Close the details and return to the queue'],
    ['?', 'Show this help'],
  ] as [string, string][],
  duplicateHeading: (id: number) => `Report ${id} is a duplicate of…`,
  duplicateLabel: 'Number of the original report',
  duplicateSubmit: 'Mark duplicate',
  cancel: 'Cancel',
  invalidId: 'Enter the number of another report.',

  // Detail
  detailHeading: (label: string, id: number) => `${label} #${id}`,
  closeDetail: 'Close details',
  detailFailed: 'The report could not be loaded.',
  facts: {
    status: 'Status',
    severity: 'Severity',
    kind: 'Kind',
    priority: 'Priority',
    passability: 'Passable',
    people: 'People',
    address: 'Address',
    location: 'Location',
    reported: 'Reported',
    updated: 'Updated',
    confirmations: 'Confirmations',
    contact: 'Contact',
    team: 'Team',
    person: 'Person',
    duplicateOf: 'Duplicate of',
    deployment: 'Deployment',
  },
  confirmations: (c: { still_there: number; gone: number }) => `${c.still_there} still there, ${c.gone} gone`,
  none: '—',
  noContact: 'none given',
  publicPage: 'Public page',
  description: 'Description',
  noDescription: 'No description.',
  photos: 'Photos',
  photoAlt: (n: number, id: number) => `Photo ${n} of report ${id}`,
  actions: 'Actions',
  changeStatus: 'Change status',
  noTransitions: 'No status change is possible from here.',
  assignHeading: 'Assign',
  teamLabel: 'Team',
  personLabel: 'Person',
  nobody: 'Nobody',
  assign: 'Assign',
  severityLabel: 'Severity',
  correctHeading: 'Correct',
  saveCorrection: 'Save correction',
  statusNote: 'Note with the change (optional)',
  publicNoteLabel: 'Note for the public (shown on the report page)',
  publicNoteHint: 'Sent with “Resolve”. Anyone can read it: no names, phone numbers or other private details.',
  /** A citizen's "not fixed" or a volunteer's flag: the details say which. */
  attentionFlag: 'Needs a look: reopened or flagged',
  duplicateOfLabel: 'Duplicate of report number',
  notesHeading: 'Internal notes',
  noNotes: 'No notes yet.',
  noteLabel: 'Add a note (staff only)',
  addNote: 'Add note',
  noteAdded: 'Note added.',
  fixPhotoHeading: 'Photo of the fix',
  fixPhotoLabel: 'Add photo of the fix',
  fixPhotoHint: 'Up to 5 photos, 15 MB each. Once published they show as “after” photos on the public page.',
  fixPhotoSend: 'Upload photo',
  fixPhotoNone: 'Choose a photo first.',
  fixPhotoSending: (n: number) => (n === 1 ? 'Uploading 1 photo…' : `Uploading ${n} photos…`),
  fixPhotoAdded: (n: number) =>
    n === 1
      ? 'Photo added. Publish it under Publication to show it.'
      : `${n} photos added. Publish them under Publication to show them.`,
  fixPhotoFailed: 'The photo could not be added.',
  historyHeading: 'History',
  noHistory: 'No changes yet.',
  public: 'Citizen',
  system: 'System',
  historyLine: (field: string | null, from: string | null, to: string | null, action: string) =>
    moderationHistory(action, field, from, to) ??
    (field ? `${field}: ${from ?? '—'} → ${to ?? '—'}` : action.replace(/_/g, ' ')),
  saved: 'Saved.',
  saveFailed: 'The change could not be saved.',
  working: 'Saving…',

  // Live
  liveConnected: 'Live',
  liveReconnecting: 'Reconnecting…',
  liveLabel: 'Live updates',

  // Deployments
  deploymentsHeading: 'Deployments',
  hotspotsHeading: 'Hotspots of open reports',
  distanceLabel: 'Distance between reports (m)',
  minReportsLabel: 'Minimum reports',
  findHotspots: 'Find hotspots in view',
  hotspotsFound: (n: number) => (n ? `${plural(n, 'hotspot', 'hotspots')} in this map view.` : 'No hotspots in view.'),
  hotspotItem: (count: number, weight: number, sev: number) =>
    `${plural(count, 'report', 'reports')}, weight ${weight}, highest severity ${sev}`,
  showHotspot: 'Show',
  useHotspot: 'Use as area',
  createHeading: 'Create a deployment',
  nameLabel: 'Name',
  areaLabel: 'Area',
  noArea: 'No area chosen yet.',
  areaFromHotspot: (n: number) => `Hotspot with ${plural(n, 'report', 'reports')}.`,
  areaFromView: 'The current map view.',
  areaDrawn: (n: number) => `Area drawn with ${n} corners.`,
  drawArea: 'Draw area on the map',
  useView: 'Use current map view as area',
  drawing:
    'Drawing: click the map to add corners. Enter or double-click finishes, Backspace removes the last corner, Escape cancels.',
  drawTooFew: 'An area needs at least 3 corners.',
  drawCancelled: 'Drawing cancelled.',
  createSubmit: 'Create deployment',
  deploymentCreated: (name: string, n: number) =>
    `Deployment “${name}” created; ${plural(n, 'report', 'reports')} assigned.`,
  needName: 'Enter a name.',
  needTeam: 'Choose a team.',
  needArea: 'Choose an area: a hotspot, a drawn area or the map view.',
  listHeading: 'Deployments',
  noDeployments: 'No deployments yet.',
  colName: 'Name',
  colTeam: 'Team',
  colOpen: 'Open / all',
  colCreated: 'Created',
  showArea: 'Show',
  deploymentStatus: (s: string) => (s === 'active' ? 'Active' : s === 'closed' ? 'Closed' : s),

  // Overview
  overviewHeading: 'Overview',
  daysLabel: 'Period',
  days: (n: number) => `Last ${n} days`,
  byCategory: 'Reports by category and status',
  total: 'Total',
  perDay: 'Created and resolved per day',
  created: 'Created',
  resolvedLabel: 'Resolved',
  day: 'Day',
  chartLabel: (days: number, created: number, resolved: number) =>
    `Chart: ${created} reports created and ${resolved} resolved in the last ${days} days. The same numbers are in the table below.`,
  showTable: 'Show the numbers as a table',
  median: 'Median time to resolve',
  medianValue: (h: number | null) =>
    h === null
      ? 'No report resolved in this period.'
      : h < 48
        ? `${h.toFixed(1)} hours`
        : `${(h / 24).toFixed(1)} days`,
  // Overview periods and hotspot places (issue 13, deliverable 8)
  /** The period as the end of a sentence: "in the last 30 days (7 Nov – 6 Dec 2026)". */
  periodPhrase: (days: number, from: string, to: string) =>
    days === 1 ? `today (${to})` : `in the last ${days} days (${from} – ${to})`,
  periodSummary: (period: string, created: number, resolved: number) =>
    `${plural(created, 'report', 'reports')} created and ${resolved} resolved ${period}.`,
  byCategoryIn: (period: string) => `Reports created ${period}, by category and their status now`,
  perDayIn: (period: string) => `Created and resolved per day, ${period}`,
  noneCreated: (period: string) => `No report was created ${period}.`,
  bySourceHeading: 'Reports by channel',
  bySourceIn: (period: string) => `Reports created ${period}, by channel`,
  reportsColumn: 'Reports',
  fixChecksHeading: 'Fixes confirmed by citizens',
  fixChecksIntro: (period: string) =>
    `What citizens answered ${period} when asked “Is it really fixed?” after a resolution.`,
  fixChecksNone: (period: string) => `No citizen answered ${period}.`,
  fixChecksByTeam: 'Answers by the team that resolved the report',
  fixChecksByArea: 'Answers by area',
  fixChecksNoAreas: 'Per area once districts are imported (npm run areas:import; docs/STATS.md).',
  teamColumn: 'Team',
  areaColumn: 'Area',
  fixedColumn: 'Fixed',
  notFixedColumn: 'Not fixed',
  shareColumn: 'Share confirmed',
  fixChecksNoTeam: 'No team',
  outsideAreas: 'Outside every area',
  /** A report's channel (its `source`). */
  source: (s: string): string => source[s] ?? s,
  noneResolved: (period: string) => `No report was resolved ${period}.`,
  medianOf: (resolved: number, period: string) =>
    `The median of the ${plural(resolved, 'report', 'reports')} resolved ${period}.`,
  clusterAt: (count: number, place: string) => `${plural(count, 'report', 'reports')} ${place}`,
  placeStreet: (street: string) => `near ${street}`,
  placeInArea: (name: string) => `in the area “${name}”`,
  placeNearArea: (name: string) => `near the area “${name}”`,
  placeAt: (coordinate: string) => `at ${coordinate}`,
  coordinate: (lat: number, lon: number) =>
    `${Math.abs(lat).toFixed(3)}° ${lat < 0 ? 'S' : 'N'}, ${Math.abs(lon).toFixed(3)}° ${lon < 0 ? 'W' : 'E'}`,
  clusterNone: 'No report here matches the current filters.',

  // Admin
  adminHeading: 'Admin',
  usersHeading: 'Users',
  teamsHeading: 'Teams',
  colEmail: 'Email',
  colRole: 'Role',
  colState: 'State',
  colActions: 'Actions',
  active: 'Active',
  disabled: 'Disabled',
  disable: 'Disable',
  enable: 'Enable',
  resetPassword: 'Reset password',
  newPasswordFor: (name: string) => `New password for ${name}`,
  passwordHint: 'At least 12 characters. Tell the person through a safe channel.',
  savePassword: 'Set password',
  addUserHeading: 'Add a user',
  userName: 'Name',
  userEmail: 'Email',
  userRole: 'Role',
  userTeam: 'Team',
  userPassword: 'Initial password',
  addUser: 'Add user',
  userAdded: (name: string) => `${name} was added.`,
  userChanged: (name: string) => `${name} was changed.`,
  teamName: 'Team name',
  addTeam: 'Add team',
  teamAdded: (name: string) => `Team “${name}” was added.`,
  noTeams: 'No teams yet.',
  members: (n: number) => plural(n, 'member', 'members'),

  // Notices: visible results and errors, undo (issue 13)
  noticesEarlier: 'Earlier messages',
  noticeDismiss: 'Dismiss message',
  noConnection: 'There is no connection to the server. Check the network and try again.',
  serverTrouble: (status: number) => `The server had a problem (error ${status}). Please try again in a moment.`,
  notPermitted: 'Your account may not do this.',
  fieldNames: {
    password: 'The password',
    email: 'The email address',
    name: 'The name',
    role: 'The role',
    team_id: 'The team',
    disabled: 'The account state',
    status: 'The status',
    assigned_team_id: 'The team',
    assigned_user_id: 'The person',
    duplicate_of: 'The original report',
    severity: 'The severity',
    category: 'The category',
    note: 'The note',
    body: 'The note',
    ids: 'The list of reports',
    area: 'The area',
  } as Record<string, string>,
  fieldUnknown: (name: string) => `The field “${name}”`,
  changeFailed: (id: number) => `Report ${id} could not be changed.`,
  duplicateFailed: (id: number, original: number) =>
    `Report ${id} could not be marked as a duplicate of report ${original}.`,
  statusNow: (id: number, s: Status) => `Report ${id} is now ${status[s] ?? s}.`,
  rejectedNow: (id: number) => `Report ${id} is rejected and no longer on the public map.`,
  undo: 'Undo',
  undoing: (id: number) => `Taking back the change to report ${id}…`,
  undone: (id: number, s: Status) => `Taken back: report ${id} is ${status[s] ?? s} again.`,
  undoFailed: (id: number) => `The change to report ${id} could not be taken back.`,
  bulkOutcome: (ok: number[], failed: { id: number; why: string }[]) =>
    [
      ok.length ? `${plural(ok.length, 'report', 'reports')} changed (${ok.map((id) => `#${id}`).join(', ')}).` : '',
      failed.length
        ? `Not changed: ${failed.map((f) => `report ${f.id} (${f.why.replace(/\.$/, '')})`).join('; ')}.`
        : '',
    ]
      .filter(Boolean)
      .join(' '),
  cannotGo: (from: Status, to: Status) => `it cannot go from ${status[from] ?? from} to ${status[to] ?? to}`,
  noSuchReport: 'there is no such report',
  needAssignee: 'Choose a team or a person first: an assigned report needs someone to do the work.',
  markAssignedHint: 'Choose a team or a person under “Assign” first.',
  noteFailed: 'The note could not be added.',
  userChangeFailed: (name: string) => `${name} could not be changed.`,
  userAddFailed: 'The user could not be added.',
  teamAddFailed: 'The team could not be added.',
  usersLoadFailed: 'The list of users could not be loaded.',
  saveUser: 'Save',
  saveUserLabel: (name: string) => `Save role and team of ${name}`,
  unsaved: 'Not saved yet',
  roleConfirmHeading: (name: string) => `Change the role of ${name}?`,
  roleConfirmText: (name: string, from: Role, to: Role) =>
    `${name} is ${roles[from]} now and will be ${roles[to]}. ${
      to === 'responder'
        ? 'Responders cannot use this dashboard; they only see their own assignments.'
        : to === 'admin'
          ? 'Admins can add, change and disable every account.'
          : 'Coordinators work the queue but cannot manage accounts.'
    }`,
  roleConfirm: 'Change role',
  disableConfirmHeading: (name: string) => `Disable the account of ${name}?`,
  disableConfirmText: 'They are signed out at once and cannot sign in until an admin enables the account again.',
  disableConfirm: 'Disable account',
  rejectConfirmHeading: (id: number) => `Reject report ${id}?`,
  rejectConfirmText: 'The report leaves the public map, lists and exports at once.',

  // Session expiry
  signedOut: 'Signed out',
  pendingKept: (n: number) =>
    n === 1
      ? 'Your session has ended. Sign in again and your change will be saved.'
      : `Your session has ended. Sign in again and your ${n} changes will be saved.`,
  pendingSaved: (n: number) =>
    n === 1 ? 'Signed in again. Your change was saved.' : `Signed in again. Your ${n} changes were saved.`,
  pendingFailed: 'Signed in again, but your change could not be saved.',
  pendingStale: (id: number) =>
    `Signed in again, but report ${id} was changed by someone else meanwhile, so your change was not sent. Look at it and change it again if it is still needed.`,

  // History in words: “<who> <what>”
  historyCitizen: 'A citizen',
  historySomeone: 'Someone',
  /** Only a citizen's "not fixed" opens a resolved report without a staff member. */
  historyPublicNotFixed: 'A citizen (“not fixed”)',
  historyCreated: 'reported it',
  historyStatus: (from: Status | null, to: Status) =>
    from
      ? `changed the status from ${status[from] ?? from} to ${status[to] ?? to}`
      : `set the status to ${status[to] ?? to}`,
  historyTeam: (from: string | null, to: string | null) =>
    to
      ? from
        ? `moved it from team ${from} to team ${to}`
        : `assigned it to team ${to}`
      : `took it away from team ${from ?? '—'}`,
  historyPerson: (from: string | null, to: string | null) =>
    to ? (from ? `gave it to ${to} instead of ${from}` : `assigned it to ${to}`) : `took it away from ${from ?? '—'}`,
  historyDuplicateOf: (id: string | null) =>
    id ? `marked it as a duplicate of report ${id}` : 'unmarked it as a duplicate',
  historyMerged: (id: string | null) => `merged report ${id ?? '—'} into this one as a duplicate`,
  historySeverity: (kind: Kind, from: string | null, to: string | null) => {
    const word = (v: string | null) => (v ? `${v} (${severity[kind]?.[Number(v) as Severity] ?? v})` : '—');
    return `changed the severity from ${word(from)} to ${word(to)}`;
  },
  historyCategory: (from: string, to: string) => `changed the category from ${from} to ${to}`,
  historyNote: 'wrote a note:',
  historyNoteGone: 'wrote a note',
  historyPhotos: (n: string | null) => `added ${plural(Number(n) || 1, 'photo', 'photos')}`,
  historyDeployed: (name: string | null, id: string | null) =>
    name ? `included it in the deployment “${name}”` : `included it in deployment ${id ?? '—'}`,
  historyOther: (field: string, from: string | null, to: string | null) =>
    `changed ${field.replace(/_/g, ' ')} from ${from ?? '—'} to ${to ?? '—'}`,
  plural,
};

export type DashboardStrings = typeof en;

/** The words in the page's language; a live binding, so `t.…` read after a switch gives the new words. */
export let t: DashboardStrings = en;

// The language is chosen (`?lang=`, the remembered choice, the browser's list) and its words
// loaded before any module that imports `t` runs, so every view is built in it.
t = await loadStaffLanguage(en, {
  de: () => import('./locales/de').then((m) => m.de),
  fr: () => import('./locales/fr').then((m) => m.fr),
});
