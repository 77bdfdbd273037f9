/**
 * The words of the Volunteers section and of the volunteer checks on a report's details, in
 * English, German and French, in the page's language (../lib/i18n.ts). English is the shape
 * the others follow, so a missing translation is a type error.
 */
import { language } from '../lib/i18n';

const en = {
  nav: 'Volunteers',
  heading: 'Volunteers',
  intro: (n: number) =>
    `Volunteers check published barriers near them from their phone. When ${n === 1 ? 'one volunteer confirms' : `${n} volunteers confirm`} a new barrier and none flagged it, it becomes verified; when as many agree on another category, the category is corrected. Flags come to you; volunteers never see contacts or help requests.`,
  inviteHeading: 'Invite volunteers',
  emails: 'Email addresses (one per line, at most 20)',
  mailLanguage: 'Language of the invitation',
  invite: 'Send invitations',
  mailOff:
    'E-mail is not set up on this server (SMTP_URL), so no invitation is mailed: copy each link below and give it to the person yourself. It works once, for 7 days.',
  sent: (n: number) => (n === 1 ? 'Invitation sent.' : `${n} invitations sent.`),
  linkFor: (email: string) => `Link for ${email}`,
  notSent: 'Not mailed: give the person this link (it works once, for 7 days).',
  listHeading: 'Volunteers and open invitations',
  none: 'No volunteers yet.',
  colName: 'Name',
  colEmail: 'Email',
  colChecks: 'Checks',
  colState: 'State',
  colActions: 'Actions',
  active: 'Active',
  disabled: 'Disabled',
  invited: (until: string) => `Invited, link valid until ${until}`,
  disable: 'Disable',
  enable: 'Enable',
  disableLabel: (name: string) => `Disable ${name}`,
  enableLabel: (name: string) => `Enable ${name}`,
  changed: (name: string) => `${name} changed.`,
  flaggedHeading: 'Reports volunteers flagged',
  flaggedNone: 'No open report is flagged.',
  flaggedItem: (id: number, category: string, n: number) =>
    `Report ${id} (${category}): ${n === 1 ? '1 flag' : `${n} flags`}`,
  loadFailed: 'The volunteers could not be loaded.',
  // On a report's details.
  checksHeading: 'Volunteer checks',
  checksNone: 'No volunteer has checked this report.',
  checksSummary: (confirm: number, flag: number, agreement: number) =>
    `${confirm} confirmed, ${flag} flagged (${agreement} needed to verify).`,
  verdict: { confirm: 'confirmed', recategorize: 'proposed category', flag: 'flagged' } as Record<string, string>,
  reason: { not_barrier: 'not a barrier', inappropriate: 'inappropriate', gone: 'gone' } as Record<string, string>,
  historyVolunteers: 'Volunteers',
};

export type VolunteerSectionStrings = typeof en;

const de: VolunteerSectionStrings = {
  nav: 'Freiwillige',
  heading: 'Freiwillige',
  intro: (n) =>
    `Freiwillige prüfen veröffentlichte Barrieren in ihrer Nähe vom Handy aus. Bestätigen ${n} Freiwillige eine neue Barriere und hat niemand sie markiert, gilt sie als geprüft; sind sich ebenso viele über eine andere Kategorie einig, wird die Kategorie korrigiert. Markierungen kommen zu Ihnen; Freiwillige sehen nie Kontakte oder Hilfegesuche.`,
  inviteHeading: 'Freiwillige einladen',
  emails: 'E-Mail-Adressen (eine pro Zeile, höchstens 20)',
  mailLanguage: 'Sprache der Einladung',
  invite: 'Einladungen senden',
  mailOff:
    'E-Mail ist auf diesem Server nicht eingerichtet (SMTP_URL), daher wird keine Einladung verschickt: Kopieren Sie jeden Link unten und geben Sie ihn der Person selbst. Er gilt einmal, 7 Tage lang.',
  sent: (n) => (n === 1 ? 'Einladung gesendet.' : `${n} Einladungen gesendet.`),
  linkFor: (email) => `Link für ${email}`,
  notSent: 'Nicht verschickt: Geben Sie der Person diesen Link (er gilt einmal, 7 Tage lang).',
  listHeading: 'Freiwillige und offene Einladungen',
  none: 'Noch keine Freiwilligen.',
  colName: 'Name',
  colEmail: 'E-Mail',
  colChecks: 'Prüfungen',
  colState: 'Stand',
  colActions: 'Aktionen',
  active: 'Aktiv',
  disabled: 'Gesperrt',
  invited: (until) => `Eingeladen, Link gültig bis ${until}`,
  disable: 'Sperren',
  enable: 'Entsperren',
  disableLabel: (name) => `${name} sperren`,
  enableLabel: (name) => `${name} entsperren`,
  changed: (name) => `${name} geändert.`,
  flaggedHeading: 'Von Freiwilligen markierte Meldungen',
  flaggedNone: 'Keine offene Meldung ist markiert.',
  flaggedItem: (id, category, n) => `Meldung ${id} (${category}): ${n === 1 ? '1 Markierung' : `${n} Markierungen`}`,
  loadFailed: 'Die Freiwilligen konnten nicht geladen werden.',
  checksHeading: 'Prüfungen durch Freiwillige',
  checksNone: 'Noch keine Freiwilligen haben diese Meldung geprüft.',
  checksSummary: (confirm, flag, agreement) =>
    `${confirm} bestätigt, ${flag} markiert (${agreement} nötig für „geprüft“).`,
  verdict: { confirm: 'bestätigt', recategorize: 'schlägt Kategorie vor', flag: 'markiert' },
  reason: { not_barrier: 'keine Barriere', inappropriate: 'unangemessen', gone: 'nicht mehr da' },
  historyVolunteers: 'Freiwillige',
};

const fr: VolunteerSectionStrings = {
  nav: 'Bénévoles',
  heading: 'Bénévoles',
  intro: (n) =>
    `Les bénévoles vérifient depuis leur téléphone les obstacles publiés près d’eux. Quand ${n} bénévole${n === 1 ? ' confirme' : 's confirment'} un nouvel obstacle et que personne ne l’a marqué, il devient vérifié ; quand autant s’accordent sur une autre catégorie, la catégorie est corrigée. Les signalements de problème vous parviennent ; les bénévoles ne voient jamais de contacts ni de demandes d’aide.`,
  inviteHeading: 'Inviter des bénévoles',
  emails: 'Adresses e-mail (une par ligne, 20 au plus)',
  mailLanguage: 'Langue de l’invitation',
  invite: 'Envoyer les invitations',
  mailOff:
    'L’e-mail n’est pas configuré sur ce serveur (SMTP_URL) : aucune invitation n’est envoyée. Copiez chaque lien ci-dessous et donnez-le vous-même à la personne. Il sert une fois, pendant 7 jours.',
  sent: (n) => (n === 1 ? 'Invitation envoyée.' : `${n} invitations envoyées.`),
  linkFor: (email) => `Lien pour ${email}`,
  notSent: 'Non envoyé : donnez ce lien à la personne (il sert une fois, pendant 7 jours).',
  listHeading: 'Bénévoles et invitations en cours',
  none: 'Pas encore de bénévoles.',
  colName: 'Nom',
  colEmail: 'E-mail',
  colChecks: 'Vérifications',
  colState: 'État',
  colActions: 'Actions',
  active: 'Actif',
  disabled: 'Désactivé',
  invited: (until) => `Invité·e, lien valable jusqu’au ${until}`,
  disable: 'Désactiver',
  enable: 'Réactiver',
  disableLabel: (name) => `Désactiver ${name}`,
  enableLabel: (name) => `Réactiver ${name}`,
  changed: (name) => `${name} modifié.`,
  flaggedHeading: 'Signalements marqués par des bénévoles',
  flaggedNone: 'Aucun signalement ouvert n’est marqué.',
  flaggedItem: (id, category, n) => `Signalement ${id} (${category}) : ${n === 1 ? '1 marque' : `${n} marques`}`,
  loadFailed: 'Les bénévoles n’ont pas pu être chargés.',
  checksHeading: 'Vérifications des bénévoles',
  checksNone: 'Aucun bénévole n’a encore vérifié ce signalement.',
  checksSummary: (confirm, flag, agreement) =>
    `${confirm} confirmations, ${flag} marques (${agreement} nécessaires pour vérifier).`,
  verdict: { confirm: 'a confirmé', recategorize: 'propose la catégorie', flag: 'a marqué' },
  reason: { not_barrier: 'pas un obstacle', inappropriate: 'inapproprié', gone: 'disparu' },
  historyVolunteers: 'Bénévoles',
};

/** The table of the page's language. */
export const vs = (): VolunteerSectionStrings => ({ en, de, fr })[language()] ?? en;
