/**
 * The language switcher in the header: links named in their own language (and marked with
 * `lang`, so screen readers pronounce them right). A click switches the page in place;
 * the link's address still works when opened in a new tab.
 */
import { h } from '../lib/dom';
import { language, LANGUAGES, type Lang } from '../lib/i18n';
import { t } from '../lib/strings';

export interface LanguageSwitch {
  nav: HTMLElement;
  /** After a switch: the current language and the landmark's name. */
  update(): void;
}

export function createLanguageSwitch(choose: (lang: Lang) => Promise<void>): LanguageSwitch {
  const links = LANGUAGES.map(({ code, name }) => {
    const link = h('a', { href: `?lang=${code}`, lang: code, hreflang: code, class: 'lang-switch__link' }, name);
    link.addEventListener('click', (e) => {
      e.preventDefault();
      if (code === language()) return;
      nav.setAttribute('aria-busy', 'true');
      choose(code)
        .catch(() => undefined)
        .finally(() => {
          nav.removeAttribute('aria-busy');
          update();
        });
    });
    return link;
  });
  const nav = h(
    'nav',
    { class: 'lang-switch' },
    h(
      'ul',
      { class: 'lang-switch__list' },
      links.map((l) => h('li', {}, l)),
    ),
  );
  function update(): void {
    nav.setAttribute('aria-label', t.languageNav);
    for (const link of links) {
      if (link.lang === language()) link.setAttribute('aria-current', 'true');
      else link.removeAttribute('aria-current');
    }
  }
  update();
  return { nav, update };
}
