/**
 * The Admin tab (admins only): users — add, disable or enable, reset a password, change role
 * or team — and teams. Role and team change only on Save (a role after a confirmation), never
 * when a select changes: arrowing through a select must not demote anybody.
 */
import { h, replaceChildren } from '../lib/dom';
import { SessionExpired, type AdminUser, type Role } from '../lib/staff-api';
import { pending } from './actions';
import { askPassword, confirmChange } from './dialogs';
import { problemText, showError, showResult } from './notices';
import { teamName, type Ctx } from './state';
import { t } from './strings';

const ROLES: Role[] = ['coordinator', 'responder', 'admin'];

function teamOptions(ctx: Ctx, selected: number | null): HTMLOptionElement[] {
  return [
    h('option', { value: '' }, t.none),
    ...ctx.teams.map((tm) => h('option', { value: String(tm.id), selected: tm.id === selected }, tm.name)),
  ];
}

export function createAdmin(ctx: Ctx, onTeamsChanged: () => void) {
  const usersBody = h('tbody');
  const usersError = h('p', { class: 'form-error', role: 'alert' });
  const teamsList = h('ul', { class: 'team-list' });

  async function reloadUsers(): Promise<void> {
    try {
      // Volunteers are managed in their own section (volunteers.ts): here a role select without
      // their role would offer to save them as coordinators.
      const users = (await ctx.api.users()).filter((u) => (u.role as string) !== 'volunteer');
      usersBody.replaceChildren(...users.map(userRow));
      usersError.textContent = '';
    } catch (err) {
      usersError.textContent = problemText(err, t.usersLoadFailed);
    }
  }

  async function change(u: AdminUser, changes: Parameters<typeof ctx.api.changeUser>[1]): Promise<boolean> {
    const name = u.name || u.email;
    try {
      await ctx.api.changeUser(u.id, changes);
      showResult(t.userChanged(name));
      await reloadUsers();
      return true;
    } catch (err) {
      // An ended session keeps the change; it is sent after signing in again (main.ts).
      if (err instanceof SessionExpired)
        pending.push({
          what: t.userChanged(name),
          send: async () => {
            await ctx.api.changeUser(u.id, changes);
            await reloadUsers();
          },
        });
      else showError(problemText(err, t.userChangeFailed(name)));
      return false;
    }
  }

  function userRow(u: AdminUser): HTMLElement {
    const name = u.name || u.email;
    const role = h(
      'select',
      { class: 'input input--compact', 'aria-label': `${t.userRole}: ${name}` },
      ROLES.map((r) => h('option', { value: r, selected: r === u.role }, t.role(r))),
    );
    const team = h(
      'select',
      { class: 'input input--compact', 'aria-label': `${t.userTeam}: ${name}` },
      teamOptions(ctx, u.team_id),
    );
    const save = h(
      'button',
      { type: 'button', class: 'button button--small', 'aria-label': t.saveUserLabel(name) },
      t.saveUser,
    );
    // On a line of its own above the other actions, so the row does not grow wider.
    const pendingLine = h(
      'span',
      { class: 'admin__pending', hidden: true },
      save,
      h('span', { class: 'hint admin__unsaved' }, t.unsaved),
    );
    const teamValue = () => (team.value ? Number(team.value) : null);
    const dirty = () => {
      pendingLine.hidden = role.value === u.role && teamValue() === u.team_id;
    };
    role.addEventListener('change', dirty);
    team.addEventListener('change', dirty);
    save.addEventListener('click', async () => {
      const changes: Parameters<typeof ctx.api.changeUser>[1] = {};
      if (role.value !== u.role) {
        const ok = await confirmChange({
          heading: t.roleConfirmHeading(name),
          text: t.roleConfirmText(name, u.role, role.value as Role),
          confirm: t.roleConfirm,
        });
        if (!ok) return save.focus();
        changes.role = role.value as Role;
      }
      if (teamValue() !== u.team_id) changes.team_id = teamValue();
      if (!(await change(u, changes))) save.focus();
    });
    const toggle = h('button', { type: 'button', class: 'button button--small' }, u.disabled ? t.enable : t.disable);
    toggle.setAttribute('aria-label', `${u.disabled ? t.enable : t.disable} ${name}`);
    toggle.addEventListener('click', async () => {
      if (!u.disabled) {
        const ok = await confirmChange({
          heading: t.disableConfirmHeading(name),
          text: t.disableConfirmText,
          confirm: t.disableConfirm,
        });
        if (!ok) return toggle.focus();
      }
      if (!(await change(u, { disabled: !u.disabled }))) toggle.focus();
    });
    const reset = h(
      'button',
      { type: 'button', class: 'button button--small', 'aria-label': `${t.resetPassword}: ${u.name || u.email}` },
      t.resetPassword,
    );
    reset.addEventListener('click', async () => {
      const password = await askPassword(u.name || u.email);
      if (password) await change(u, { password });
      reset.focus();
    });
    return h(
      'tr',
      { class: u.disabled ? 'is-disabled' : '' },
      h('th', { scope: 'row' }, u.name || t.none),
      h('td', {}, u.email),
      h('td', {}, role),
      h('td', {}, team),
      h('td', {}, u.disabled ? t.disabled : t.active),
      h('td', { class: 'actions-cell' }, pendingLine, toggle, ' ', reset),
    );
  }

  // Add a user
  const fields = {
    name: h('input', { id: 'new-user-name', class: 'input', type: 'text', autocomplete: 'off', required: true }),
    email: h('input', { id: 'new-user-email', class: 'input', type: 'email', autocomplete: 'off', required: true }),
    role: h(
      'select',
      { id: 'new-user-role', class: 'input' },
      ROLES.map((r) => h('option', { value: r }, t.role(r))),
    ),
    team: h('select', { id: 'new-user-team', class: 'input' }),
    password: h('input', {
      id: 'new-user-password',
      class: 'input',
      type: 'password',
      autocomplete: 'new-password',
      minlength: 12,
      required: true,
      'aria-describedby': 'new-user-password-hint',
    }),
  };
  // Shown next to the form; the notice above announces it (one alert, not two).
  const addError = h('p', { class: 'form-error' });
  const field = (id: string, label: string, input: HTMLElement, hint?: HTMLElement) =>
    h('div', { class: 'form-field' }, h('label', { class: 'label label--small', for: id }, label), input, hint ?? null);
  const addForm = h(
    'form',
    { class: 'panel-block form-grid', 'aria-labelledby': 'add-user-heading', novalidate: true },
    h('h3', { id: 'add-user-heading' }, t.addUserHeading),
    field('new-user-name', t.userName, fields.name),
    field('new-user-email', t.userEmail, fields.email),
    field('new-user-role', t.userRole, fields.role),
    field('new-user-team', t.userTeam, fields.team),
    field(
      'new-user-password',
      t.userPassword,
      fields.password,
      h('p', { id: 'new-user-password-hint', class: 'hint' }, t.passwordHint),
    ),
    addError,
    h('button', { type: 'submit', class: 'button button--primary button--small' }, t.addUser),
  );
  addForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = {
      name: fields.name.value.trim(),
      email: fields.email.value.trim(),
      role: fields.role.value as Role,
      password: fields.password.value,
      ...(fields.team.value ? { team_id: Number(fields.team.value) } : {}),
    };
    ctx.api
      .addUser(body)
      .then(async () => {
        showResult(t.userAdded(body.name || body.email));
        addError.textContent = '';
        addForm.reset();
        await reloadUsers();
      })
      .catch((err: unknown) => {
        if (err instanceof SessionExpired) {
          pending.push({
            what: t.userAdded(body.name || body.email),
            send: async () => {
              await ctx.api.addUser(body);
              addForm.reset();
              await reloadUsers();
            },
          });
          return;
        }
        const message = problemText(err, t.userAddFailed);
        addError.textContent = message;
        showError(message);
      });
  });

  // Teams
  const teamInput = h('input', {
    id: 'new-team-name',
    class: 'input',
    type: 'text',
    maxlength: 100,
    autocomplete: 'off',
  });
  const teamError = h('p', { class: 'form-error' });
  const teamForm = h(
    'form',
    { class: 'inline-form', 'aria-label': t.addTeam },
    h('label', { class: 'label label--small', for: 'new-team-name' }, t.teamName),
    teamInput,
    h('button', { type: 'submit', class: 'button button--small' }, t.addTeam),
    teamError,
  );
  teamForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const name = teamInput.value.trim();
    if (!name) return teamInput.focus();
    ctx.api
      .addTeam(name)
      .then(async () => {
        showResult(t.teamAdded(name));
        teamInput.value = '';
        teamError.textContent = '';
        ctx.teams = await ctx.api.teams();
        onTeamsChanged();
        renderTeams();
        await reloadUsers();
      })
      .catch((err: unknown) => {
        if (err instanceof SessionExpired) {
          pending.push({
            what: t.teamAdded(name),
            send: async () => {
              await ctx.api.addTeam(name);
              teamInput.value = '';
              ctx.teams = await ctx.api.teams();
              onTeamsChanged();
              renderTeams();
            },
          });
          return;
        }
        const message = problemText(err, t.teamAddFailed);
        teamError.textContent = message;
        showError(message);
      });
  });

  function renderTeams(): void {
    replaceChildren(fields.team, teamOptions(ctx, null));
    teamsList.replaceChildren(
      ...(ctx.teams.length
        ? ctx.teams.map((tm) => h('li', {}, teamName(ctx, tm.id) ?? ''))
        : [h('li', { class: 'hint' }, t.noTeams)]),
    );
  }

  const el = h(
    'section',
    { class: 'page-section admin', 'aria-labelledby': 'admin-heading' },
    h('div', { class: 'page-head' }, h('h1', { id: 'admin-heading', tabindex: -1 }, t.adminHeading)),
    h(
      'div',
      { class: 'admin__grid' },
      h(
        'section',
        { class: 'panel-block', 'aria-labelledby': 'users-heading' },
        h('h2', { id: 'users-heading' }, t.usersHeading),
        usersError,
        // On a narrow screen the table scrolls by itself (a data table may: WCAG 1.4.10);
        // the page around it reflows.
        h(
          'div',
          { class: 'table-scroll' },
          h(
            'table',
            { class: 'data-table' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                [t.userName, t.colEmail, t.colRole, t.colTeam, t.colState, t.colActions].map((c) =>
                  h('th', { scope: 'col' }, c),
                ),
              ),
            ),
            usersBody,
          ),
        ),
        addForm,
      ),
      h(
        'section',
        { class: 'panel-block', 'aria-labelledby': 'teams-heading' },
        h('h2', { id: 'teams-heading' }, t.teamsHeading),
        teamsList,
        teamForm,
      ),
    ),
  );

  return {
    el,
    async enter() {
      renderTeams();
      await reloadUsers();
    },
  };
}
