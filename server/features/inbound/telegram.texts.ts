// What the Telegram bot says in its conversation, in the chat's language (Telegram's
// language_code). The answers that SMS shares (filed, STOP, START) are in inbound.texts.ts.
import type { Language } from './inbound.parse';

type Texts = Record<Language, string>;
const pick = (t: Texts, language: Language) => t[language] ?? t.en;

export const telegramTexts = {
  welcome: (l: Language) =>
    pick(
      {
        en: 'Welcome to Wegfrei. To report a barrier or ask for help: 1. share the place (📎 → Location), 2. send a photo if you can, 3. pick what it is from the buttons. You can also write it in one message, e.g. "steps 52.52, 13.405". /cancel starts over. Send STOP for no more messages.',
        de: 'Willkommen bei Wegfrei. So melden Sie eine Barriere oder bitten um Hilfe: 1. den Ort teilen (📎 → Standort), 2. wenn möglich ein Foto schicken, 3. mit den Knöpfen wählen, was es ist. Sie können es auch in einer Nachricht schreiben, z. B. „Stufen 52.52, 13.405“. /cancel fängt neu an. Senden Sie STOP, um keine Nachrichten mehr zu erhalten.',
        fr: 'Bienvenue sur Wegfrei. Pour signaler un obstacle ou demander de l’aide : 1. partagez le lieu (📎 → Position), 2. envoyez une photo si possible, 3. choisissez ce que c’est avec les boutons. Vous pouvez aussi l’écrire en un message, p. ex. « marches 52.52, 13.405 ». /cancel recommence. Envoyez STOP pour ne plus recevoir de messages.',
      },
      l,
    ),
  askPlace: (l: Language) =>
    pick(
      {
        en: 'Thank you. Now share the place: 📎 → Location.',
        de: 'Danke. Teilen Sie jetzt den Ort: 📎 → Standort.',
        fr: 'Merci. Partagez maintenant le lieu : 📎 → Position.',
      },
      l,
    ),
  askCategory: (l: Language) =>
    pick(
      {
        en: 'Got the place. You can still send a photo. What is in the way, or what help is needed?',
        de: 'Ort erhalten. Sie können noch ein Foto schicken. Was ist im Weg, oder welche Hilfe wird gebraucht?',
        fr: 'Lieu reçu. Vous pouvez encore envoyer une photo. Quel est l’obstacle, ou de quelle aide avez-vous besoin ?',
      },
      l,
    ),
  cancelled: (l: Language) =>
    pick(
      {
        en: 'Cancelled. Share a place to start a new report.',
        de: 'Abgebrochen. Teilen Sie einen Ort, um eine neue Meldung zu beginnen.',
        fr: 'Annulé. Partagez un lieu pour commencer un nouveau signalement.',
      },
      l,
    ),
  inbox: (l: Language) =>
    pick(
      {
        en: 'Wegfrei: thank you, we got your message. A coordinator will place it on the map. Next time share the place (📎 → Location) and we can file it at once.',
        de: 'Wegfrei: Danke, Ihre Nachricht ist angekommen. Ein Koordinator trägt sie in die Karte ein. Teilen Sie nächstes Mal den Ort (📎 → Standort), dann geht es sofort.',
        fr: 'Wegfrei : merci, nous avons reçu votre message. Un coordinateur le placera sur la carte. La prochaine fois, partagez le lieu (📎 → Position) et il sera enregistré tout de suite.',
      },
      l,
    ),
  failed: (l: Language) =>
    pick(
      {
        en: 'Sorry, this could not be filed. Please try again, or /cancel and start over.',
        de: 'Das konnte leider nicht gespeichert werden. Bitte versuchen Sie es noch einmal oder fangen Sie mit /cancel neu an.',
        fr: 'Désolé, cela n’a pas pu être enregistré. Réessayez, ou /cancel pour recommencer.',
      },
      l,
    ),
};
