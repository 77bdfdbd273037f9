// The invitation mail, in the language the coordinator chose for the person. Plain text (and
// the same as simple HTML): the link is the one thing in it that matters.
import type { MailMessage } from '../../mail/mailer';

export type MailLanguage = 'en' | 'de' | 'fr';
export const MAIL_LANGUAGES: readonly MailLanguage[] = ['en', 'de', 'fr'];

const TEXTS: Record<MailLanguage, { subject: string; lines: (link: string, days: number) => string[] }> = {
  en: {
    subject: 'You are invited to check reports on Wegfrei',
    lines: (link, days) => [
      'Hello,',
      '',
      'you are invited to help as a volunteer: on your phone you will see reports of barriers near you and say whether they are right.',
      '',
      `Choose your name and password here (the link works once, for ${days} days):`,
      link,
      '',
      'If you did not expect this, ignore this mail: nothing happens without the link.',
    ],
  },
  de: {
    subject: 'Einladung: Meldungen auf Wegfrei prüfen',
    lines: (link, days) => [
      'Hallo,',
      '',
      'Sie sind eingeladen, als Freiwillige*r mitzuhelfen: Auf dem Handy sehen Sie gemeldete Barrieren in Ihrer Nähe und sagen, ob sie stimmen.',
      '',
      `Wählen Sie hier Ihren Namen und Ihr Passwort (der Link gilt einmal, ${days} Tage lang):`,
      link,
      '',
      'Wenn Sie das nicht erwartet haben, ignorieren Sie diese Mail: Ohne den Link geschieht nichts.',
    ],
  },
  fr: {
    subject: 'Invitation : vérifier des signalements sur Wegfrei',
    lines: (link, days) => [
      'Bonjour,',
      '',
      'vous êtes invité·e à aider comme bénévole : sur votre téléphone, vous verrez des obstacles signalés près de vous et direz s’ils sont justes.',
      '',
      `Choisissez votre nom et votre mot de passe ici (le lien sert une fois, pendant ${days} jours) :`,
      link,
      '',
      'Si vous ne vous y attendiez pas, ignorez ce message : rien ne se passe sans le lien.',
    ],
  },
};

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function invitationMail(to: string, link: string, days: number, language: MailLanguage): MailMessage {
  const t = TEXTS[language];
  const lines = t.lines(link, days);
  const html = lines
    .map((line) => (line === link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>` : escapeHtml(line)))
    .join('<br>\n');
  return {
    to,
    subject: t.subject,
    text: lines.join('\n'),
    html: `<!doctype html><html lang="${language}"><body>${html}</body></html>`,
  };
}
