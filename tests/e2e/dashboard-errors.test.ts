/**
 * Coordinators never fly blind (issue 13): every error and result is visible where the person
 * works — not only in a screen-reader region — and in words; one-key actions can be taken
 * back by keyboard; a role changes only after Save and a confirmation; "Mark assigned" needs
 * someone; the history reads as sentences; an ended session keeps the change and sends it
 * after signing in again. Chromium at 1440×900 and 390×844, real server and database.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { axeViolations, launchBrowser } from './support/browser';
import { createReport, type Feature } from './support/reports';
import { startServer, type RunningServer } from './support/server';
import { StaffClient } from './support/staff';

jest.setTimeout(240_000);

const LAPTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const ADMIN = { email: 'admin@wegfrei.test', password: 'admin-password-1234', name: 'Ada Admin' };
const RUN = Date.now().toString(36);
const COORDINATOR = {
  email: `cora-${RUN}@wegfrei.test`,
  password: 'coordinator-pass-1234',
  name: 'Cora Coordinator',
};
const OTHER = { email: `otto-${RUN}@wegfrei.test`, password: 'coordinator-pass-5678', name: 'Otto Other' };
const TEAM = `Team East ${RUN}`;

let server: RunningServer;
let browser: Browser;
let staff: StaffClient;
let teamId: number;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  process.env.WEGFREI_BOOTSTRAP_ADMIN = `${ADMIN.email}:${ADMIN.password}`;
  try {
    server = await startServer();
  } finally {
    delete process.env.WEGFREI_BOOTSTRAP_ADMIN;
  }
  browser = await launchBrowser();
  staff = new StaffClient(server.baseUrl);
  await staff.login(ADMIN.email, ADMIN.password);
  teamId = (await staff.send<{ id: number }>('POST', '/api/v1/teams', { name: TEAM })).id;
  await staff.send('POST', '/api/v1/users', { ...COORDINATOR, role: 'coordinator' });
  await staff.send('POST', '/api/v1/users', { ...OTHER, role: 'coordinator' });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
  const errors = server.errors();
  if (errors.length) throw new Error(`The server logged errors:\n${errors.join('\n')}`);
});

async function pageAt(viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.baseUrl, viewport, locale: 'en-GB' });
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  return context.newPage();
}

async function signIn(page: Page, user: { email: string; password: string }): Promise<void> {
  // By id: behind the sign-in form after a session ends, the Admin page's own Email and
  // password fields are still in the page (hidden), so their labels would match too.
  await page.locator('#login-email').fill(user.email);
  await page.locator('#login-password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function openDashboard(page: Page, path = '/dashboard', user = COORDINATOR): Promise<void> {
  await page.goto(path);
  await signIn(page, user);
  await page.locator('.live--on').waitFor();
}

function expectNoViolations(violations: Awaited<ReturnType<typeof axeViolations>>): void {
  expect(violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.join(' | ')}`)).toEqual([]);
}

/**
 * Fails when a message is there for screen readers only: it must have a real size inside the
 * viewport, no hiding ancestor (clip, 1-px box, opacity, visibility), and be the element
 * actually painted at its own centre (nothing laid over it).
 */
async function expectSeen(message: Locator): Promise<void> {
  await message.waitFor({ state: 'visible' });
  // Measured once the notice has finished sliding in.
  await message.evaluate((el) => Promise.all((el.closest('.notice') ?? el).getAnimations().map((a) => a.finished)));
  const box = await message.boundingBox();
  expect(box).not.toBeNull();
  const viewport = message.page().viewportSize()!;
  expect(box!.width).toBeGreaterThan(40);
  expect(box!.height).toBeGreaterThan(12);
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width + 1);
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height + 1);
  const problems = await message.evaluate((el) => {
    const found: string[] = [];
    for (let node: Element | null = el; node; node = node.parentElement) {
      const css = getComputedStyle(node);
      const r = node.getBoundingClientRect();
      if (node.classList.contains('visually-hidden')) found.push('inside .visually-hidden');
      if (css.clip !== 'auto' && css.clip !== '') found.push(`clip ${css.clip}`);
      if (css.clipPath !== 'none') found.push(`clip-path ${css.clipPath}`);
      if (Number(css.opacity) < 0.9) found.push(`opacity ${css.opacity}`);
      if (css.visibility !== 'visible') found.push(`visibility ${css.visibility}`);
      if (r.width <= 2 || r.height <= 2) found.push(`${node.tagName} is ${r.width}×${r.height}`);
    }
    const r = el.getBoundingClientRect();
    const top = document.elementFromPoint(r.left + Math.min(20, r.width / 2), r.top + r.height / 2);
    if (!top || !(el === top || el.contains(top))) found.push(`covered by ${top?.outerHTML.slice(0, 80)}`);
    return found;
  });
  expect(problems).toEqual([]);
}

const notice = (page: Page, kind: 'error' | 'result', text: string | RegExp) =>
  page.locator(`.notice--${kind} .notice__text`, { hasText: text });

async function publicStatus(id: number): Promise<number> {
  return (await fetch(`${server.baseUrl}/api/v1/reports/${id}`)).status;
}

async function barrier(lat: number, lon: number, description: string): Promise<Feature> {
  return createReport(server.baseUrl, { kind: 'barrier', category: 'steps', lat, lon, severity: 2, description });
}

test.each([
  ['laptop', LAPTOP],
  ['phone', PHONE],
])('an admin sees, on a %s, why disabling their own account was refused', async (_name, viewport) => {
  const page = await pageAt(viewport);
  await openDashboard(page, '/dashboard/admin', ADMIN);
  const row = page.locator('.admin tbody tr', { hasText: ADMIN.email });
  await row.getByRole('button', { name: /^Disable/ }).click();
  // Disabling asks first; the safe answer has focus.
  const dialog = page.getByRole('dialog', { name: /Disable the account of/ });
  await dialog.waitFor();
  expect(await dialog.getByRole('button', { name: 'Cancel' }).evaluate((b) => b === document.activeElement)).toBe(true);
  await dialog.getByRole('button', { name: 'Disable account' }).click();
  const error = notice(page, 'error', 'An admin cannot disable or demote their own account.');
  await expectSeen(error);
  expect(await error.textContent()).toMatch(
    /^\S.* could not be changed\. An admin cannot disable or demote their own account\.$/,
  );
  expect(await page.locator('.notice--error').evaluate((el) => el.closest('[role="alert"]') !== null)).toBe(true);
  expectNoViolations(await axeViolations(page));
  await page.screenshot({ path: `.scratch/shots/notices/admin-self-disable-${viewport.width}.png` });

  // Errors stay until dismissed; the dismiss button leaves it gone.
  await page.waitForTimeout(6500);
  await expectSeen(error);
  await page.locator('.notice--error .notice__close').click();
  await error.waitFor({ state: 'detached' });
  // Still reachable afterwards under "Earlier messages".
  await page.getByText('Earlier messages').click();
  await page.locator('.notices__log', { hasText: 'An admin cannot disable' }).waitFor();
});

test('a role changes only after Save and a confirmation; field errors name the field in words', async () => {
  const page = await pageAt(LAPTOP);
  await openDashboard(page, '/dashboard/admin', ADMIN);
  const row = page.locator('.admin tbody tr', { hasText: OTHER.email });
  const role = row.getByRole('combobox', { name: `Role: ${OTHER.name}` });
  await role.focus();
  await page.keyboard.press('ArrowDown');
  await page.waitForTimeout(500);
  const users = async () =>
    (await staff.send<{ users: { email: string; role: string }[] }>('GET', '/api/v1/users')).users;
  expect((await users()).find((u) => u.email === OTHER.email)?.role).toBe('coordinator');
  await row.getByText('Not saved yet').waitFor();
  const save = row.getByRole('button', { name: `Save role and team of ${OTHER.name}` });
  await save.click();
  const dialog = page.getByRole('dialog', { name: `Change the role of ${OTHER.name}?` });
  await dialog.getByText('Coordinator now and will be Responder').waitFor();
  await page.screenshot({ path: '.scratch/shots/notices/admin-role-confirm-1440.png' });
  await page.keyboard.press('Enter'); // Cancel has focus
  await dialog.waitFor({ state: 'detached' });
  expect((await users()).find((u) => u.email === OTHER.email)?.role).toBe('coordinator');
  await save.click();
  await dialog.getByRole('button', { name: 'Change role' }).click();
  await expectSeen(notice(page, 'result', `${OTHER.name} was changed.`));
  expect((await users()).find((u) => u.email === OTHER.email)?.role).toBe('responder');

  // A too-short password from the add form: one sentence, the field in words, said once.
  await page.locator('#new-user-name').fill('Short Pass');
  await page.locator('#new-user-email').fill(`short-${RUN}@wegfrei.test`);
  await page.locator('#new-user-password').fill('short');
  await page.getByRole('button', { name: 'Add user' }).click();
  const error = notice(page, 'error', /The password/);
  await expectSeen(error);
  const text = (await error.textContent()) ?? '';
  expect(text).toMatch(/^The user could not be added\. The password /);
  expect(text).not.toMatch(/password:/);
  await page.screenshot({ path: '.scratch/shots/notices/admin-password-1440.png' });
});

test('r rejects with an Undo reached by keyboard; the report is public again', async () => {
  const report = await barrier(47.3769, 8.5417, 'Broken ramp at the tram stop.');
  expect(await publicStatus(report.id)).toBe(200);
  const page = await pageAt(LAPTOP);
  await openDashboard(page, `/dashboard#map=16/47.3769/8.5417`);
  const row = page.locator(`#queue-table tr[data-id="${report.id}"]`);
  await row.waitFor();
  await row.focus();
  await page.keyboard.press('r');
  const result = notice(page, 'result', `Report ${report.id} is rejected and no longer on the public map.`);
  await expectSeen(result);
  await expect_(async () => (await publicStatus(report.id)) === 404);
  await page.screenshot({ path: '.scratch/shots/notices/undo-offered-1440.png' });

  // Keyboard only: Shift+Tab from the queue back to the notice's Undo, then Enter.
  let onUndo = false;
  for (let i = 0; i < 40 && !onUndo; i++) {
    await page.keyboard.press('Shift+Tab');
    onUndo = await page.evaluate(() => document.activeElement?.classList.contains('notice__action') ?? false);
  }
  expect(onUndo).toBe(true);
  // While focus is on it, the notice does not fade.
  await page.waitForTimeout(8500);
  await page.keyboard.press('Enter');
  await expectSeen(notice(page, 'result', `Taken back: report ${report.id} is New again.`));
  await expect_(async () => (await publicStatus(report.id)) === 200);
  expect(await page.evaluate(() => document.activeElement?.tagName)).not.toBe('BODY');
  expectNoViolations(await axeViolations(page));

  // And with the u key straight from the queue: verify, then take it back.
  await row.focus();
  await page.keyboard.press('v');
  await notice(page, 'result', `Report ${report.id} is now Verified.`).waitFor();
  await page.keyboard.press('u');
  await notice(page, 'result', `Taken back: report ${report.id} is New again.`).waitFor();
  await expect_(
    async () => (await staff.send<Feature>('GET', `/api/v1/staff/reports/${report.id}`)).properties.status === 'new',
  );
});

test('a duplicate of a report that does not exist, and a bulk change that partly fails, say which and why', async () => {
  const a = await barrier(45.764, 4.8357, 'Kerb too high at the crossing.');
  const b = await barrier(45.7641, 4.8358, 'Kerb too high, second report.');
  await staff.send('PATCH', `/api/v1/reports/${b.id}`, { status: 'verified' });
  await staff.send('PATCH', `/api/v1/reports/${b.id}`, { status: 'in_progress' });
  const page = await pageAt(LAPTOP);
  await openDashboard(page, `/dashboard/reports/${a.id}#map=17/45.764/4.8357`);
  const detail = page.locator('#detail');
  await detail.locator('#detail-duplicate').fill('99999999');
  await detail.getByRole('button', { name: 'Mark duplicate' }).click();
  const dupError = notice(page, 'error', `Report ${a.id} could not be marked as a duplicate of report 99999999.`);
  await expectSeen(dupError);
  expect(await dupError.textContent()).toContain('The original report must be another existing report.');
  await page.screenshot({ path: '.scratch/shots/notices/duplicate-missing-1440.png' });

  // Shift+V verifies the selection: a is verified, b (in progress) cannot be — named, with why.
  await page.keyboard.press('Escape');
  for (const id of [a.id, b.id]) {
    await page.locator(`#queue-table tr[data-id="${id}"]`).focus();
    await page.keyboard.press('x');
  }
  await page.keyboard.press('Shift+V');
  const bulk = notice(page, 'error', `Not changed: report ${b.id}`);
  await expectSeen(bulk);
  expect(await bulk.textContent()).toBe(
    `1 report changed (#${a.id}). Not changed: report ${b.id} (it cannot go from In progress to Verified).`,
  );
  expectNoViolations(await axeViolations(page));
  await page.screenshot({ path: '.scratch/shots/notices/bulk-partial-1440.png' });
});

test('"Mark assigned" needs someone first, and the history reads as sentences with names and notes', async () => {
  const report = await barrier(48.8566, 2.3522, 'Lift out of order at the station.');
  const page = await pageAt(LAPTOP);
  await openDashboard(page, `/dashboard/reports/${report.id}#map=17/48.8566/2.3522`);
  const detail = page.locator('#detail');
  const mark = detail.getByRole('button', { name: 'Mark assigned' });
  expect(await mark.getAttribute('aria-disabled')).toBe('true');
  await detail.getByText('Choose a team or a person under “Assign” first.').waitFor();
  await mark.focus();
  await page.keyboard.press('Enter');
  await expectSeen(notice(page, 'error', 'Choose a team or a person first'));
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('assign-team-detail');
  expect((await staff.send<Feature>('GET', `/api/v1/staff/reports/${report.id}`)).properties.status).toBe('new');
  await page.screenshot({ path: '.scratch/shots/notices/mark-assigned-refused-1440.png' });

  await detail.locator('#status-note').fill('Checked with the station staff.');
  await detail.getByRole('button', { name: 'Verify', exact: true }).click();
  await detail.locator('.facts .badge', { hasText: 'Verified' }).waitFor();
  await detail.locator('#assign-team-detail').selectOption({ label: TEAM });
  await detail
    .locator('form', { has: page.locator('#assign-team-detail') })
    .getByRole('button')
    .click();
  const history = detail.locator('.history');
  await history.getByText(`assigned it to team ${TEAM}`).waitFor();
  const lines = await history.locator('.history__line').allTextContents();
  expect(lines).toEqual([
    'A citizen reported it',
    `${COORDINATOR.name} changed the status from New to Verified`,
    `${COORDINATOR.name} wrote a note: Checked with the station staff.`,
    `${COORDINATOR.name} assigned it to team ${TEAM}`,
    `${COORDINATOR.name} changed the status from Verified to Assigned`,
  ]);
  expect(await history.textContent()).not.toMatch(/assigned_team_id|→/);
  expectNoViolations(await axeViolations(page));
  await detail.locator('.history').scrollIntoViewIfNeeded();
  await page.screenshot({ path: '.scratch/shots/notices/history-words-1440.png' });
  void teamId;
});

test('an ended session keeps the change: sign in again and it is saved', async () => {
  const report = await barrier(52.3676, 4.9041, 'Bollard in the middle of the path.');
  const page = await pageAt(LAPTOP);
  await openDashboard(page, `/dashboard/reports/${report.id}#map=17/52.3676/4.9041`);
  const detail = page.locator('#detail');
  await detail.getByRole('button', { name: 'Verify', exact: true }).waitFor();
  // The session ends behind the page's back (signed out elsewhere).
  const me = await page.request.get('/api/v1/auth/me');
  const { csrf_token } = (await me.json()) as { csrf_token: string };
  expect((await page.request.post('/api/v1/auth/logout', { headers: { 'X-CSRF-Token': csrf_token } })).status()).toBe(
    204,
  );
  await detail.getByRole('button', { name: 'Verify', exact: true }).click();

  await page.getByRole('heading', { name: 'Sign in to Wegfrei Staff' }).waitFor();
  await expectSeen(notice(page, 'error', 'Sign in again and your change will be saved.'));
  const header = page.locator('#topbar');
  expect(await header.innerText()).not.toContain('Live');
  expect(await header.innerText()).not.toContain(COORDINATOR.name);
  await header.getByText('Signed out').waitFor();
  expectNoViolations(await axeViolations(page));
  await page.screenshot({ path: '.scratch/shots/notices/session-ended-1440.png' });

  await signIn(page, COORDINATOR);
  await expectSeen(notice(page, 'result', 'Signed in again. Your change was saved.'));
  await page.locator('.live--on').waitFor();
  await header.getByText(COORDINATOR.name, { exact: false }).waitFor();
  expect((await staff.send<Feature>('GET', `/api/v1/staff/reports/${report.id}`)).properties.status).toBe('verified');
  await detail.locator('.facts .badge', { hasText: 'Verified' }).waitFor();
  await page.screenshot({ path: '.scratch/shots/notices/session-resumed-1440.png' });
});

test('a kept change is not sent over what a colleague changed meanwhile', async () => {
  const report = await barrier(52.3702, 4.8952, 'Scaffolding across the pavement.');
  const page = await pageAt(LAPTOP);
  await openDashboard(page, `/dashboard/reports/${report.id}#map=17/52.3702/4.8952`);
  const detail = page.locator('#detail');
  await detail.getByRole('button', { name: 'Verify', exact: true }).waitFor();
  const me = await page.request.get('/api/v1/auth/me');
  const { csrf_token } = (await me.json()) as { csrf_token: string };
  await page.request.post('/api/v1/auth/logout', { headers: { 'X-CSRF-Token': csrf_token } });
  await detail.getByRole('button', { name: 'Verify', exact: true }).click();
  await page.getByRole('heading', { name: 'Sign in to Wegfrei Staff' }).waitFor();
  // Meanwhile a colleague sends the report to a team.
  await staff.send('PATCH', `/api/v1/reports/${report.id}`, { assigned_team_id: teamId, note: 'Team East takes it.' });

  await signIn(page, COORDINATOR);
  await expectSeen(
    notice(page, 'error', `Signed in again, but report ${report.id} was changed by someone else meanwhile`),
  );
  const now = await staff.send<Feature>('GET', `/api/v1/staff/reports/${report.id}`);
  expect(now.properties).toMatchObject({ status: 'assigned', assigned_team_id: teamId });
});

test('an admin’s change cut off by an ended session is saved after signing in again', async () => {
  const person = { email: `rita-${RUN}@wegfrei.test`, password: 'responder-pass-1234', name: 'Rita Role' };
  await staff.send('POST', '/api/v1/users', { ...person, role: 'coordinator' });
  const page = await pageAt(LAPTOP);
  await openDashboard(page, '/dashboard/admin', ADMIN);
  const row = page.locator('.admin tbody tr', { hasText: person.email });
  await row.getByRole('combobox', { name: `Role: ${person.name}` }).selectOption('responder');
  const me = await page.request.get('/api/v1/auth/me');
  const { csrf_token } = (await me.json()) as { csrf_token: string };
  await page.request.post('/api/v1/auth/logout', { headers: { 'X-CSRF-Token': csrf_token } });
  await row.getByRole('button', { name: `Save role and team of ${person.name}` }).click();
  await page
    .getByRole('dialog', { name: `Change the role of ${person.name}?` })
    .getByRole('button', { name: 'Change role' })
    .click();

  await page.getByRole('heading', { name: 'Sign in to Wegfrei Staff' }).waitFor();
  await expectSeen(notice(page, 'error', 'Sign in again and your change will be saved.'));
  const role = async () =>
    (await staff.send<{ users: { email: string; role: string }[] }>('GET', '/api/v1/users')).users.find(
      (u) => u.email === person.email,
    )?.role;
  expect(await role()).toBe('coordinator');
  await signIn(page, ADMIN);
  await expectSeen(notice(page, 'result', `Signed in again. Your change was saved. ${person.name} was changed.`));
  expect(await role()).toBe('responder');
  await row.getByRole('combobox', { name: `Role: ${person.name}` }).waitFor();
  expect(await row.getByRole('combobox', { name: `Role: ${person.name}` }).inputValue()).toBe('responder');
});

/** Waits until a condition about the server holds (live changes take a moment). */
async function expect_(condition: () => Promise<boolean>, timeout = 5000): Promise<void> {
  const end = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
