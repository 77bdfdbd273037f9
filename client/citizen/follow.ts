/**
 * "Follow this report" (docs/FOLLOW.md): an e-mail field and, where the browser can and the
 * server has a push key, a "Follow by notification" button. No account: the server mails a
 * confirmation link, or keeps the browser's push subscription. Loaded lazily by the success
 * view and the report page, so the first load of the app does not carry it.
 */
import { h } from '../lib/dom';
import { language } from '../lib/i18n';
import { t } from '../lib/strings';
import './styles/follow.css';

interface FollowOptions {
  email: boolean;
  push: { public_key: string } | null;
}

let options: Promise<FollowOptions> | undefined;
const loadOptions = () => {
  options ??= fetch('/api/v1/follow/options', { headers: { Accept: 'application/json' } })
    .then((r) => (r.ok ? (r.json() as Promise<FollowOptions>) : { email: false, push: null }))
    .catch(() => {
      options = undefined;
      return { email: false, push: null };
    });
  return options;
};

/** Remembered per report, so the block says "following" when the page opens again. */
const followingKey = (id: number) => `wegfrei-follow-${id}`;

const pushPossible = () =>
  'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window && window.isSecureContext;

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const raw = atob(base64url.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

async function post(reportId: number, body: object): Promise<Response> {
  return fetch(`/api/v1/reports/${reportId}/subscriptions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Accept-Language': language() },
    body: JSON.stringify({ ...body, language: language() }),
  });
}

function problemText(res: Response | undefined): string {
  if (!res) return t.followFailed;
  if (res.status === 429) return t.followBusy;
  if (res.status === 503) return t.followUnavailable;
  return t.followFailed;
}

/** The block; it removes itself when the server offers no way to follow. */
export function createFollowBlock(reportId: number, opts: { headingLevel?: 2 | 3; help?: boolean } = {}): HTMLElement {
  const headingId = `follow-heading-${reportId}`;
  const inputId = `follow-email-${reportId}`;
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;
  const status = h('p', { class: 'follow__status', role: 'status' });
  const error = h('p', { class: 'field-error', id: errorId, hidden: true });
  const input = h('input', {
    class: 'input',
    id: inputId,
    type: 'email',
    name: 'email',
    autocomplete: 'email',
    inputmode: 'email',
    maxlength: 254,
    required: true,
    'aria-describedby': hintId,
  });
  const emailButton = h('button', { type: 'submit', class: 'button' }, t.followEmailButton);
  const form = h(
    'form',
    { class: 'follow__email', novalidate: true, hidden: true },
    h('label', { class: 'label', for: inputId }, t.followEmailLabel),
    h('p', { class: 'hint', id: hintId }, t.followEmailHint),
    error,
    h('div', { class: 'input-row' }, input, emailButton),
  );
  const pushButton = h('button', { type: 'button', class: 'button follow__push', hidden: true }, t.followPushButton);
  // Blocked before anyone asked: a quiet hint, not an announcement when the page opens.
  const pushHint = h('p', { class: 'hint follow__push-hint', hidden: true }, t.followBlocked);
  const block = h(
    'section',
    { class: 'follow', 'aria-labelledby': headingId },
    h(opts.headingLevel === 3 ? 'h3' : 'h2', { id: headingId, class: 'follow__heading' }, t.followHeading),
    h('p', { class: 'follow__intro' }, opts.help ? t.followIntroHelp : t.followIntro),
    form,
    pushButton,
    pushHint,
    status,
  );

  const say = (text: string) => {
    status.textContent = text;
  };
  const showError = (text: string) => {
    error.textContent = text;
    error.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', `${hintId} ${errorId}`);
  };
  const clearError = () => {
    error.hidden = true;
    input.removeAttribute('aria-invalid');
    input.setAttribute('aria-describedby', hintId);
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const email = input.value.trim();
    if (!email || !input.checkValidity()) {
      showError(t.followEmailInvalid);
      input.focus();
      return;
    }
    clearError();
    emailButton.disabled = true;
    emailButton.setAttribute('aria-busy', 'true');
    say('');
    post(reportId, { email })
      .then((res) => {
        if (res.status === 202) {
          input.value = '';
          say(t.followCheckInbox);
        } else if (res.status === 422) {
          showError(t.followEmailInvalid);
          input.focus();
        } else {
          say(problemText(res));
        }
      })
      .catch(() => say(t.followFailed))
      .finally(() => {
        emailButton.disabled = false;
        emailButton.removeAttribute('aria-busy');
      });
  });

  const showFollowingByPush = () => {
    pushButton.hidden = true;
    say(t.followFollowing);
  };

  pushButton.addEventListener('click', () => {
    void (async () => {
      const opts = await loadOptions();
      if (!opts.push) return;
      pushButton.disabled = true;
      pushButton.setAttribute('aria-busy', 'true');
      say('');
      try {
        const permission = await Notification.requestPermission();
        if (permission !== 'granted') {
          say(t.followBlocked);
          pushButton.hidden = permission === 'denied';
          return;
        }
        const registration = await navigator.serviceWorker.ready;
        const subscription =
          (await registration.pushManager.getSubscription()) ??
          (await registration.pushManager.subscribe({
            userVisibleOnly: true,
            applicationServerKey: keyBytes(opts.push.public_key),
          }));
        const res = await post(reportId, { push: subscription.toJSON() }).catch(() => undefined);
        if (res?.status !== 202) {
          say(problemText(res));
          return;
        }
        localStorage.setItem(followingKey(reportId), 'push');
        showFollowingByPush();
      } catch {
        say(t.followPushFailed);
      } finally {
        pushButton.disabled = false;
        pushButton.removeAttribute('aria-busy');
      }
    })();
  });

  void loadOptions().then((opts) => {
    const push = Boolean(opts.push) && pushPossible();
    if (!opts.email && !push) {
      block.remove();
      return;
    }
    form.hidden = !opts.email;
    if (!push) return;
    if (localStorage.getItem(followingKey(reportId)) === 'push' && Notification.permission === 'granted') {
      showFollowingByPush();
    } else if (Notification.permission === 'denied') {
      pushHint.hidden = false;
    } else {
      pushButton.hidden = false;
    }
  });
  return block;
}
