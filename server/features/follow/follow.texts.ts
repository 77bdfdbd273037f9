// What a follower is told, in the language they chose. Only what the public page shows may be
// said: the report's number, its state, a team's name, the original of a duplicate — never a
// staff member's name and never a help request's words.
export const LANGUAGES = ['en', 'de', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];
export type FollowEvent = 'published' | 'verified' | 'assigned' | 'resolved' | 'merged' | 'rejected' | 'reopened';

export interface UpdateFacts {
  reportId: number;
  event: FollowEvent;
  reportUrl: string;
  /** The team a report was assigned to (assigned). */
  team?: string;
  /** The original of a duplicate and its page (merged). */
  original?: { id: number; url: string };
}

export interface Message {
  subject: string;
  /** One or two sentences: the push body, and the mail's first paragraph. */
  body: string;
  /** Where a click goes. */
  url: string;
  /** A final message: the subscription ends after it (merged, rejected). */
  last: boolean;
}

type Texts<T> = Record<Language, T>;

const SUBJECT: Texts<(id: number) => string> = {
  en: (id) => `Report ${id}`,
  de: (id) => `Meldung ${id}`,
  fr: (id) => `Signalement ${id}`,
};

const BODY: Texts<Record<FollowEvent, (f: UpdateFacts) => string>> = {
  en: {
    published: () => 'has been reviewed and is now on the public map.',
    verified: () => 'has been checked and confirmed by the coordinators.',
    assigned: (f) => (f.team ? `has been given to the team "${f.team}".` : 'has been given to a team.'),
    resolved: () => 'has been marked as resolved. Is it really fixed? Tell us on the report page.',
    merged: (f) =>
      `was reported before: it is now followed as report ${f.original?.id ?? ''}. You will get no more messages about this one.`,
    rejected: () => 'will not be taken up. You will get no more messages about it.',
    reopened: () => 'has been reopened: it needs more work.',
  },
  de: {
    published: () => 'wurde geprüft und ist jetzt auf der öffentlichen Karte.',
    verified: () => 'wurde von der Koordination geprüft und bestätigt.',
    assigned: (f) => (f.team ? `wurde dem Team „${f.team}“ übergeben.` : 'wurde einem Team übergeben.'),
    resolved: () => 'wurde als erledigt markiert. Ist es wirklich behoben? Sagen Sie es uns auf der Seite der Meldung.',
    merged: (f) =>
      `wurde schon früher gemeldet und wird jetzt als Meldung ${f.original?.id ?? ''} weiterverfolgt. Zu dieser erhalten Sie keine Nachrichten mehr.`,
    rejected: () => 'wird nicht weiterverfolgt. Sie erhalten dazu keine Nachrichten mehr.',
    reopened: () => 'wurde wieder geöffnet: Es ist noch etwas zu tun.',
  },
  fr: {
    published: () => 'a été relu et figure maintenant sur la carte publique.',
    verified: () => 'a été vérifié et confirmé par la coordination.',
    assigned: (f) => (f.team ? `a été confié à l’équipe « ${f.team} ».` : 'a été confié à une équipe.'),
    resolved: () => 'a été marqué comme résolu. Est-ce vraiment réparé ? Dites-le-nous sur la page du signalement.',
    merged: (f) =>
      `avait déjà été signalé : il est désormais suivi comme signalement ${f.original?.id ?? ''}. Vous ne recevrez plus de messages sur celui-ci.`,
    rejected: () => 'ne sera pas traité. Vous ne recevrez plus de messages à son sujet.',
    reopened: () => 'a été rouvert : il reste quelque chose à faire.',
  },
};

export function updateMessage(language: Language, f: UpdateFacts): Message {
  const url =
    f.event === 'resolved'
      ? `${f.reportUrl}#fix-check`
      : f.event === 'merged' && f.original
        ? f.original.url
        : f.reportUrl;
  return {
    subject: `${SUBJECT[language](f.reportId)}: ${EVENT_NAME[language][f.event]}`,
    body: `${SUBJECT[language](f.reportId)} ${BODY[language][f.event](f)}`,
    url,
    last: f.event === 'merged' || f.event === 'rejected',
  };
}

const EVENT_NAME: Texts<Record<FollowEvent, string>> = {
  en: {
    published: 'published',
    verified: 'verified',
    assigned: 'assigned',
    resolved: 'resolved — is it really fixed?',
    merged: 'merged with an earlier report',
    rejected: 'closed',
    reopened: 'reopened',
  },
  de: {
    published: 'veröffentlicht',
    verified: 'bestätigt',
    assigned: 'übergeben',
    resolved: 'erledigt – wirklich behoben?',
    merged: 'mit einer früheren Meldung zusammengeführt',
    rejected: 'geschlossen',
    reopened: 'wieder geöffnet',
  },
  fr: {
    published: 'publié',
    verified: 'vérifié',
    assigned: 'confié',
    resolved: 'résolu — vraiment réparé ?',
    merged: 'fusionné avec un signalement antérieur',
    rejected: 'clos',
    reopened: 'rouvert',
  },
};

/** The mail around a message: the text, the link, and how to stop. */
export const MAIL = {
  open: { en: 'Open the report:', de: 'Zur Meldung:', fr: 'Voir le signalement :' } as Texts<string>,
  fixCheck: {
    en: 'Is it really fixed?',
    de: 'Ist es wirklich behoben?',
    fr: 'Est-ce vraiment réparé ?',
  } as Texts<string>,
  why: {
    en: 'You get this because you chose to follow this report on Wegfrei.',
    de: 'Sie erhalten diese Nachricht, weil Sie diese Meldung bei Wegfrei verfolgen.',
    fr: 'Vous recevez ce message parce que vous suivez ce signalement sur Wegfrei.',
  } as Texts<string>,
  stop: {
    en: 'Stop following (one click):',
    de: 'Nicht mehr verfolgen (ein Klick):',
    fr: 'Ne plus suivre (un clic) :',
  } as Texts<string>,
};

export const CONFIRM_MAIL: Texts<
  (id: number, confirmUrl: string, stopUrl: string) => { subject: string; text: string }
> = {
  en: (id, confirmUrl, stopUrl) => ({
    subject: `Confirm: follow report ${id} on Wegfrei`,
    text: `Someone, probably you, asked to get e-mail about report ${id} on Wegfrei.\n\nTo confirm, open this link and press the button:\n${confirmUrl}\n\nIf it was not you, ignore this mail: without confirmation nothing more is sent, and the request is deleted within 48 hours.\nNever mail this address again about this report: ${stopUrl}\n`,
  }),
  de: (id, confirmUrl, stopUrl) => ({
    subject: `Bestätigen: Meldung ${id} bei Wegfrei verfolgen`,
    text: `Jemand, wahrscheinlich Sie, möchte E-Mails zu Meldung ${id} bei Wegfrei erhalten.\n\nZum Bestätigen öffnen Sie diesen Link und drücken Sie den Knopf:\n${confirmUrl}\n\nWaren Sie es nicht, ignorieren Sie diese Mail: Ohne Bestätigung wird nichts mehr gesendet, und die Anfrage wird binnen 48 Stunden gelöscht.\nDiese Adresse nie wieder zu dieser Meldung anschreiben: ${stopUrl}\n`,
  }),
  fr: (id, confirmUrl, stopUrl) => ({
    subject: `Confirmer : suivre le signalement ${id} sur Wegfrei`,
    text: `Quelqu’un, sans doute vous, a demandé à recevoir des e-mails sur le signalement ${id} sur Wegfrei.\n\nPour confirmer, ouvrez ce lien et appuyez sur le bouton :\n${confirmUrl}\n\nSi ce n’était pas vous, ignorez ce message : sans confirmation, rien d’autre n’est envoyé et la demande est effacée sous 48 heures.\nNe plus jamais écrire à cette adresse au sujet de ce signalement : ${stopUrl}\n`,
  }),
};

/** The small pages behind the links (confirm, unsubscribe): a button, so link scanners change nothing. */
export const PAGE: Texts<
  Record<
    'confirmTitle' | 'confirmButton' | 'confirmed' | 'stopTitle' | 'stopButton' | 'stopped' | 'expired' | 'open',
    string
  >
> = {
  en: {
    confirmTitle: 'Follow report {id} by e-mail?',
    confirmButton: 'Yes, send me updates',
    confirmed: 'Done: you will get an e-mail when report {id} changes. Every mail has a link to stop.',
    stopTitle: 'Stop following report {id}?',
    stopButton: 'Stop following',
    stopped: 'Done: you will get no more messages about this report.',
    expired: 'This link is no longer valid. If you still want updates, follow the report again from its page.',
    open: 'Open the report',
  },
  de: {
    confirmTitle: 'Meldung {id} per E-Mail verfolgen?',
    confirmButton: 'Ja, Neuigkeiten senden',
    confirmed:
      'Erledigt: Sie erhalten eine E-Mail, wenn sich Meldung {id} ändert. Jede Mail enthält einen Link zum Beenden.',
    stopTitle: 'Meldung {id} nicht mehr verfolgen?',
    stopButton: 'Nicht mehr verfolgen',
    stopped: 'Erledigt: Sie erhalten keine Nachrichten mehr zu dieser Meldung.',
    expired:
      'Dieser Link gilt nicht mehr. Möchten Sie weiter Neuigkeiten, verfolgen Sie die Meldung erneut auf ihrer Seite.',
    open: 'Zur Meldung',
  },
  fr: {
    confirmTitle: 'Suivre le signalement {id} par e-mail ?',
    confirmButton: 'Oui, m’envoyer les nouvelles',
    confirmed:
      'C’est fait : vous recevrez un e-mail quand le signalement {id} change. Chaque message contient un lien pour arrêter.',
    stopTitle: 'Ne plus suivre le signalement {id} ?',
    stopButton: 'Ne plus suivre',
    stopped: 'C’est fait : vous ne recevrez plus de messages sur ce signalement.',
    expired: 'Ce lien n’est plus valable. Pour recevoir des nouvelles, suivez à nouveau le signalement depuis sa page.',
    open: 'Voir le signalement',
  },
};
