/**
 * The sign-in form both staff apps show when there is no session. The words come from the
 * app's own strings module; errors are tied to the form with aria-describedby and focused.
 */
import { ApiError } from './api';
import { h } from './dom';
import type { Session, StaffApi } from './staff-api';

export interface LoginWords {
  heading: string;
  intro: string;
  email: string;
  password: string;
  submit: string;
  signingIn: string;
  wrong: string;
  throttled: (seconds: number | null) => string;
  failed: string;
}

/** Shows the form in `parent` and resolves once the person has signed in. */
export function showLogin(parent: HTMLElement, api: StaffApi, words: LoginWords): Promise<Session> {
  return new Promise((resolve) => {
    const error = h('p', { id: 'login-error', class: 'form-error', role: 'alert' });
    const email = h('input', {
      id: 'login-email',
      class: 'input',
      type: 'email',
      name: 'email',
      autocomplete: 'username',
      required: true,
      'aria-describedby': 'login-error',
    });
    const password = h('input', {
      id: 'login-password',
      class: 'input',
      type: 'password',
      name: 'password',
      autocomplete: 'current-password',
      required: true,
      'aria-describedby': 'login-error',
    });
    const submit = h('button', { type: 'submit', class: 'button button--primary' }, words.submit);
    const form = h(
      'form',
      { class: 'login', 'aria-labelledby': 'login-heading', novalidate: true },
      h('h1', { id: 'login-heading' }, words.heading),
      h('p', { class: 'hint' }, words.intro),
      h('label', { class: 'label', for: 'login-email' }, words.email),
      email,
      h('label', { class: 'label', for: 'login-password' }, words.password),
      password,
      error,
      submit,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (!email.value.trim() || !password.value) {
        error.textContent = words.wrong;
        (email.value.trim() ? password : email).focus();
        return;
      }
      submit.disabled = true;
      submit.textContent = words.signingIn;
      error.textContent = '';
      api
        .login(email.value.trim(), password.value)
        .then((session) => {
          // A volunteer's account has no staff app: their session works on /volunteer only.
          if ((session.user.role as string) === 'volunteer') return location.assign('/volunteer');
          form.remove();
          resolve(session);
        })
        .catch((err: unknown) => {
          if (err instanceof ApiError && err.status === 401) error.textContent = words.wrong;
          else if (err instanceof ApiError && err.status === 429) {
            const wait = (err as ApiError & { retryAfter?: number }).retryAfter ?? null;
            error.textContent = words.throttled(wait);
          } else error.textContent = words.failed;
          password.value = '';
          password.focus();
        })
        .finally(() => {
          submit.disabled = false;
          submit.textContent = words.submit;
        });
    });
    parent.replaceChildren(form);
    email.focus();
  });
}

/** The session behind the cookie, or — when there is none — the login form until there is one. */
export async function sessionOrLogin(
  api: StaffApi,
  main: HTMLElement,
  words: { login: LoginWords; appName: string },
): Promise<Session> {
  try {
    return await api.me();
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) throw err;
    document.title = `${words.login.heading} — ${words.appName}`;
    return showLogin(main, api, words.login);
  }
}
