/**
 * The Volunteers section (coordinators and admins): invite by e-mail, see who is active and
 * who is invited, disable or enable a volunteer, and the open reports volunteers flagged.
 * Without SMTP the invitation links are shown here to pass on by hand, and the page says why.
 */
import { announce } from '../lib/announce';
import { h } from '../lib/dom';
import { formatDate } from '../lib/i18n';
import { problemText, showError, showResult } from './notices';
import type { Ctx } from './state';
import { vs } from './volunteers-strings';

interface VolunteerList {
  mail: boolean;
  agreement: number;
  volunteers: { id: number; email: string; name: string; disabled: boolean; checks: number }[];
  invitations: { id: number; email: string; expires_at: string }[];
  flagged: { report_id: number; category: string; flags: number }[];
}

interface Invited {
  mail: boolean;
  invitations: { email: string; delivery: 'sent' | 'not_sent'; link?: string }[];
}

export function createVolunteers(ctx: Ctx, categoryName: (code: string) => string) {
  const s = vs();
  const intro = h('p', {});
  const mailOff = h('p', { class: 'notice notice--warning', hidden: true }, s.mailOff);
  const listError = h('p', { class: 'form-error', role: 'alert' });
  const tbody = h('tbody');
  const flagged = h('ul', { class: 'volunteers__flagged' });
  const links = h('div', { class: 'volunteers__links', role: 'status' });

  const emails = h('textarea', { class: 'input', id: 'volunteer-emails', rows: 3, maxlength: 6000 });
  const language = h(
    'select',
    { class: 'input', id: 'volunteer-language' },
    (['en', 'de', 'fr'] as const).map((code) =>
      h('option', { value: code }, { en: 'English', de: 'Deutsch', fr: 'Français' }[code]),
    ),
  );
  const formError = h('p', { class: 'form-error', role: 'alert', id: 'volunteer-emails-error' });
  const submit = h('button', { type: 'submit', class: 'button button--primary' }, s.invite);
  const form = h(
    'form',
    { class: 'stack-form', novalidate: true },
    h('label', { for: emails.id }, s.emails),
    emails,
    h('label', { for: language.id }, s.mailLanguage),
    language,
    formError,
    submit,
  );

  async function reload(): Promise<void> {
    try {
      const list = await ctx.api.request<VolunteerList>('GET', '/api/v1/volunteers');
      intro.textContent = s.intro(list.agreement);
      mailOff.hidden = list.mail;
      tbody.replaceChildren(
        ...list.volunteers.map(volunteerRow),
        ...list.invitations.map((i) =>
          h(
            'tr',
            {},
            h('td', {}, '—'),
            h('td', {}, i.email),
            h('td', {}, '0'),
            h('td', {}, s.invited(formatDate(i.expires_at))),
            h('td', {}),
          ),
        ),
      );
      if (!list.volunteers.length && !list.invitations.length) {
        tbody.replaceChildren(h('tr', {}, h('td', { colspan: 5 }, s.none)));
      }
      flagged.replaceChildren(
        ...(list.flagged.length
          ? list.flagged.map((f) =>
              h(
                'li',
                {},
                h(
                  'a',
                  { href: `/dashboard/reports/${f.report_id}` },
                  s.flaggedItem(f.report_id, categoryName(f.category), f.flags),
                ),
              ),
            )
          : [h('li', { class: 'hint' }, s.flaggedNone)]),
      );
      listError.textContent = '';
    } catch (err) {
      listError.textContent = problemText(err, s.loadFailed);
    }
  }

  function volunteerRow(v: VolunteerList['volunteers'][number]): HTMLElement {
    const name = v.name || v.email;
    const toggle = h(
      'button',
      {
        type: 'button',
        class: 'button button--small',
        'aria-label': v.disabled ? s.enableLabel(name) : s.disableLabel(name),
      },
      v.disabled ? s.enable : s.disable,
    );
    toggle.addEventListener('click', () => {
      toggle.disabled = true;
      ctx.api
        .request('PATCH', `/api/v1/volunteers/${v.id}`, { disabled: !v.disabled })
        .then(async () => {
          showResult(s.changed(name));
          await reload();
        })
        .catch((err: unknown) => {
          showError(problemText(err, s.loadFailed));
          toggle.disabled = false;
        });
    });
    return h(
      'tr',
      {},
      h('td', {}, v.name),
      h('td', {}, v.email),
      h('td', {}, String(v.checks)),
      h('td', {}, v.disabled ? s.disabled : s.active),
      h('td', {}, toggle),
    );
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    formError.textContent = '';
    emails.removeAttribute('aria-invalid');
    const list = emails.value
      .split(/[\s,;]+/)
      .map((x) => x.trim())
      .filter(Boolean);
    submit.disabled = true;
    ctx.api
      .request<Invited>('POST', '/api/v1/volunteers/invitations', { emails: list, language: language.value })
      .then(async (res) => {
        emails.value = '';
        const sent = res.invitations.filter((i) => i.delivery === 'sent').length;
        if (sent) announce(s.sent(sent));
        links.replaceChildren(
          ...res.invitations
            .filter((i) => i.link)
            .map((i) => {
              const id = `link-${i.email.replace(/[^\w]/g, '-')}`;
              return h(
                'div',
                { class: 'volunteers__link' },
                h('label', { for: id }, s.linkFor(i.email)),
                h('input', {
                  class: 'input',
                  id,
                  readonly: true,
                  value: i.link!,
                  'aria-describedby': 'volunteer-link-hint',
                }),
              );
            }),
        );
        if (links.childElementCount) links.prepend(h('p', { class: 'hint', id: 'volunteer-link-hint' }, s.notSent));
        else if (sent) showResult(s.sent(sent));
        await reload();
      })
      .catch((err: unknown) => {
        formError.textContent = problemText(err, s.loadFailed);
        emails.setAttribute('aria-invalid', 'true');
        emails.setAttribute('aria-describedby', formError.id);
        emails.focus();
      })
      .finally(() => (submit.disabled = false));
  });

  const el = h(
    'section',
    { class: 'page-section volunteers', 'aria-labelledby': 'volunteers-heading' },
    h('div', { class: 'page-head' }, h('h1', { id: 'volunteers-heading', tabindex: -1 }, s.heading)),
    intro,
    h(
      'div',
      { class: 'admin__grid' },
      h(
        'section',
        { class: 'panel-block', 'aria-labelledby': 'volunteers-invite-heading' },
        h('h2', { id: 'volunteers-invite-heading' }, s.inviteHeading),
        mailOff,
        form,
        links,
      ),
      h(
        'section',
        { class: 'panel-block', 'aria-labelledby': 'volunteers-flagged-heading' },
        h('h2', { id: 'volunteers-flagged-heading' }, s.flaggedHeading),
        flagged,
      ),
    ),
    h(
      'section',
      { class: 'panel-block', 'aria-labelledby': 'volunteers-list-heading' },
      h('h2', { id: 'volunteers-list-heading' }, s.listHeading),
      listError,
      h(
        'div',
        { class: 'table-scroll', role: 'region', 'aria-labelledby': 'volunteers-list-heading', tabindex: 0 },
        h(
          'table',
          { class: 'data-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              [s.colName, s.colEmail, s.colChecks, s.colState, s.colActions].map((c) => h('th', { scope: 'col' }, c)),
            ),
          ),
          tbody,
        ),
      ),
    ),
  );

  return { el, enter: reload };
}
