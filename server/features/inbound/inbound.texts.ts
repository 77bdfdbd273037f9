// What Wegfrei answers by SMS and messenger, in the sender's language. Short: an SMS segment
// holds 160 plain characters (70 with any non-Latin-1 one), so the link comes early.
import type { Language } from './inbound.parse';

type Texts = Record<Language, string>;
const pick = (t: Texts, language: Language) => t[language] ?? t.en;

export const replyTexts = {
  filed: (language: Language, reportId: number, url: string) =>
    pick(
      {
        en: `Wegfrei: thank you. Report ${reportId}: ${url} Reply STOP for no more messages.`,
        de: `Wegfrei: Danke. Meldung ${reportId}: ${url} Antworten Sie STOP, um keine Nachrichten mehr zu erhalten.`,
        fr: `Wegfrei : merci. Signalement ${reportId} : ${url} Répondez STOP pour ne plus recevoir de messages.`,
      },
      language,
    ),
  inbox: (language: Language) =>
    pick(
      {
        en: 'Wegfrei: thank you, we got your message. A coordinator will place it on the map. Next time send the place (a plus code like 9F4MGC2M+7V, or lat,lon) and what it is, e.g. "steps" or "water".',
        de: 'Wegfrei: Danke, Ihre Nachricht ist angekommen. Ein Koordinator trägt sie in die Karte ein. Schicken Sie nächstes Mal den Ort (Plus Code wie 9F4MGC2M+7V oder Breite,Länge) und worum es geht, z. B. "Stufen" oder "Wasser".',
        fr: 'Wegfrei : merci, nous avons reçu votre message. Un coordinateur le placera sur la carte. La prochaine fois, envoyez le lieu (un plus code comme 9F4MGC2M+7V, ou lat,lon) et de quoi il s’agit, p. ex. « marches » ou « eau ».',
      },
      language,
    ),
  stop: (language: Language) =>
    pick(
      {
        en: 'Wegfrei: you will get no more messages from us. Send START to get them again.',
        de: 'Wegfrei: Sie erhalten keine Nachrichten mehr von uns. Senden Sie START, um sie wieder zu erhalten.',
        fr: 'Wegfrei : vous ne recevrez plus de messages. Envoyez START pour les recevoir à nouveau.',
      },
      language,
    ),
  start: (language: Language) =>
    pick(
      {
        en: 'Wegfrei: you will get answers about your reports again. Send STOP to end them.',
        de: 'Wegfrei: Sie erhalten wieder Antworten zu Ihren Meldungen. Senden Sie STOP, um sie zu beenden.',
        fr: 'Wegfrei : vous recevrez à nouveau des réponses sur vos signalements. Envoyez STOP pour les arrêter.',
      },
      language,
    ),
  status: (language: Language, reportId: number, status: string, url: string) =>
    pick(
      {
        en: `Wegfrei: report ${reportId} is now "${STATUS.en[status] ?? status}". ${url}`,
        de: `Wegfrei: Meldung ${reportId} ist jetzt „${STATUS.de[status] ?? status}“. ${url}`,
        fr: `Wegfrei : le signalement ${reportId} est maintenant « ${STATUS.fr[status] ?? status} ». ${url}`,
      },
      language,
    ),
};

const STATUS: Record<Language, Record<string, string>> = {
  en: {
    verified: 'verified',
    assigned: 'assigned to a team',
    in_progress: 'being dealt with',
    resolved: 'resolved',
    rejected: 'not taken up',
    duplicate: 'a duplicate',
  },
  de: {
    verified: 'bestätigt',
    assigned: 'einem Team zugewiesen',
    in_progress: 'in Bearbeitung',
    resolved: 'erledigt',
    rejected: 'nicht aufgenommen',
    duplicate: 'doppelt gemeldet',
  },
  fr: {
    verified: 'vérifié',
    assigned: 'confié à une équipe',
    in_progress: 'en cours de traitement',
    resolved: 'résolu',
    rejected: 'non retenu',
    duplicate: 'un doublon',
  },
};
