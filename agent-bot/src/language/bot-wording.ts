import type { WordedLanguage } from './customer-language.js';

/**
 * What the bot says in its own words (not the model's), per language: the handoff
 * announcement, when the team is back, the callback offer and its confirmation, passing a
 * message on, and the request to type a voice note. Every sentence is true whatever the reason.
 */
export interface BotWording {
  /** The handoff itself, without a time. */
  handingOff: string;
  /** While the team is in. */
  replySoon: string;
  /** Outside business hours: `when` is e.g. "9:00 on Monday" (see `teamBack`). */
  teamRepliesFrom(when: string): string;
  /** Outside business hours with nobody to take over now. */
  offerCallback: string;
  callbackNoted(number: string, when: string): string;
  /** Digits that are no valid phone number. */
  callbackInvalid: string;
  /** The follow-up sent when the team is back. */
  callbackDue(number: string): string;
  /** A message the bot cannot answer after a human handed the conversation back. */
  passingOn: string;
  askToType: string;
  /** "9:00 today", "9:00 tomorrow", "9:00 on Monday" in this language. */
  teamBack(time: string, day: 'today' | 'tomorrow' | string): string;
}

/** "a partir de" + "el lunes" contracts to "a partir del lunes". */
const desde = (when: string) =>
  when.startsWith('el ') ? `a partir del ${when.slice(3)}` : `a partir de ${when}`;

export const BOT_WORDING: Record<WordedLanguage, BotWording> = {
  en: {
    handingOff: "Thanks, I'm passing you to a colleague.",
    replySoon: 'They will reply here shortly.',
    teamRepliesFrom: (when) => `Our team replies from ${when}.`,
    offerCallback: "If you'd like us to call you back instead, send me your phone number.",
    callbackNoted: (number, when) => `A colleague will call you on ${number} from ${when}.`,
    callbackInvalid:
      "That number doesn't look complete. Could you send it again, with the country code if it's not a local number?",
    callbackDue: (number) => `Good morning! As promised, a colleague will call you on ${number} shortly.`,
    passingOn: "I can't answer that myself; I'll pass it on to my colleague, who will reply here.",
    askToType: "Sorry, I couldn't listen to your voice message. Could you type it, please?",
    teamBack: (time, day) =>
      day === 'today' ? `${time} today` : day === 'tomorrow' ? `${time} tomorrow` : `${time} on ${day}`,
  },
  pt: {
    handingOff: 'Obrigado, vou passar você para um colega.',
    replySoon: 'Ele vai responder aqui em breve.',
    teamRepliesFrom: (when) => `A nossa equipa responde a partir de ${when}.`,
    offerCallback: 'Se preferir que liguemos para você, envie-me o seu número de telefone.',
    callbackNoted: (number, when) => `Um colega vai ligar para ${number} a partir de ${when}.`,
    callbackInvalid:
      'Esse número parece incompleto. Pode enviá-lo de novo, com o código do país se não for local?',
    callbackDue: (number) => `Bom dia! Como combinado, um colega vai ligar para ${number} em breve.`,
    passingOn: 'Não consigo responder a isso; vou passar ao meu colega, que responderá aqui.',
    askToType: 'Desculpe, não consegui ouvir a sua mensagem de voz. Pode escrevê-la, por favor?',
    teamBack: (time, day) =>
      day === 'today' ? `hoje às ${time}` : day === 'tomorrow' ? `amanhã às ${time}` : `${day} às ${time}`,
  },
  es: {
    handingOff: 'Gracias, te paso con un compañero.',
    replySoon: 'Te responderá aquí en breve.',
    teamRepliesFrom: (when) => `Nuestro equipo responde ${desde(when)}.`,
    offerCallback: 'Si prefieres que te llamemos, envíame tu número de teléfono.',
    callbackNoted: (number, when) => `Un compañero te llamará al ${number} ${desde(when)}.`,
    callbackInvalid:
      'Ese número no parece completo. ¿Puedes enviarlo de nuevo, con el prefijo del país si no es local?',
    callbackDue: (number) => `¡Buenos días! Como prometimos, un compañero te llamará al ${number} en breve.`,
    passingOn: 'No puedo responder a eso; se lo paso a mi compañero, que te responderá aquí.',
    askToType: 'Lo siento, no he podido escuchar tu mensaje de voz. ¿Podrías escribirlo, por favor?',
    teamBack: (time, day) =>
      day === 'today'
        ? `hoy a las ${time}`
        : day === 'tomorrow'
          ? `mañana a las ${time}`
          : `el ${day} a las ${time}`,
  },
  de: {
    handingOff: 'Danke, ich gebe Sie an einen Kollegen weiter.',
    replySoon: 'Er antwortet Ihnen hier in Kürze.',
    teamRepliesFrom: (when) => `Unser Team antwortet ab ${when}.`,
    offerCallback: 'Wenn Sie lieber zurückgerufen werden möchten, senden Sie mir Ihre Telefonnummer.',
    callbackNoted: (number, when) => `Ein Kollege ruft Sie ab ${when} unter ${number} an.`,
    callbackInvalid:
      'Diese Nummer scheint unvollständig. Könnten Sie sie noch einmal senden, mit Ländervorwahl, falls sie nicht lokal ist?',
    callbackDue: (number) => `Guten Morgen! Wie versprochen ruft Sie ein Kollege gleich unter ${number} an.`,
    passingOn:
      'Das kann ich selbst nicht beantworten; ich gebe es an meinen Kollegen weiter, der Ihnen hier antwortet.',
    askToType:
      'Entschuldigung, ich konnte Ihre Sprachnachricht nicht anhören. Könnten Sie sie bitte schreiben?',
    teamBack: (time, day) =>
      day === 'today'
        ? `heute ${time} Uhr`
        : day === 'tomorrow'
          ? `morgen ${time} Uhr`
          : `${day} ${time} Uhr`,
  },
  fr: {
    handingOff: 'Merci, je vous passe à un collègue.',
    replySoon: 'Il vous répondra ici sous peu.',
    teamRepliesFrom: (when) => `Notre équipe répond à partir de ${when}.`,
    offerCallback: 'Si vous préférez être rappelé, envoyez-moi votre numéro de téléphone.',
    callbackNoted: (number, when) => `Un collègue vous appellera au ${number} à partir de ${when}.`,
    callbackInvalid:
      "Ce numéro semble incomplet. Pourriez-vous le renvoyer, avec l'indicatif du pays s'il n'est pas local ?",
    callbackDue: (number) => `Bonjour ! Comme promis, un collègue va vous appeler au ${number} sous peu.`,
    passingOn: 'Je ne peux pas répondre à cela ; je transmets à mon collègue, qui vous répondra ici.',
    askToType:
      "Désolé, je n'ai pas pu écouter votre message vocal. Pourriez-vous l'écrire, s'il vous plaît ?",
    teamBack: (time, day) =>
      day === 'today' ? `aujourd'hui ${time}` : day === 'tomorrow' ? `demain ${time}` : `${day} ${time}`,
  },
  it: {
    handingOff: 'Grazie, ti passo a un collega.',
    replySoon: 'Ti risponderà qui a breve.',
    teamRepliesFrom: (when) => `Il nostro team risponde da ${when}.`,
    offerCallback: 'Se preferisci essere richiamato, inviami il tuo numero di telefono.',
    callbackNoted: (number, when) => `Un collega ti chiamerà al ${number} da ${when}.`,
    callbackInvalid:
      'Quel numero sembra incompleto. Puoi inviarlo di nuovo, con il prefisso internazionale se non è locale?',
    callbackDue: (number) => `Buongiorno! Come promesso, un collega ti chiamerà al ${number} a breve.`,
    passingOn: 'Non posso rispondere io; lo passo al mio collega, che ti risponderà qui.',
    askToType:
      'Mi dispiace, non sono riuscito ad ascoltare il tuo messaggio vocale. Potresti scriverlo, per favore?',
    teamBack: (time, day) =>
      day === 'today'
        ? `oggi alle ${time}`
        : day === 'tomorrow'
          ? `domani alle ${time}`
          : `${day} alle ${time}`,
  },
  nl: {
    handingOff: 'Bedankt, ik geef u door aan een collega.',
    replySoon: 'Die antwoordt hier binnenkort.',
    teamRepliesFrom: (when) => `Ons team antwoordt vanaf ${when}.`,
    offerCallback: 'Wilt u liever teruggebeld worden? Stuur me dan uw telefoonnummer.',
    callbackNoted: (number, when) => `Een collega belt u vanaf ${when} op ${number}.`,
    callbackInvalid:
      'Dat nummer lijkt niet compleet. Kunt u het opnieuw sturen, met landcode als het geen lokaal nummer is?',
    callbackDue: (number) => `Goedemorgen! Zoals beloofd belt een collega u zo op ${number}.`,
    passingOn: 'Dat kan ik zelf niet beantwoorden; ik geef het door aan mijn collega, die hier antwoordt.',
    askToType: 'Sorry, ik kon uw spraakbericht niet beluisteren. Kunt u het alstublieft typen?',
    teamBack: (time, day) =>
      day === 'today' ? `vandaag ${time}` : day === 'tomorrow' ? `morgen ${time}` : `${day} ${time}`,
  },
};

/**
 * When the team is back, in the customer's language and the business's time zone: "9:00 on
 * Monday", "amanhã às 9:00". `now` decides today/tomorrow in that time zone.
 */
export function describeTeamBack(
  language: WordedLanguage,
  nextOpenAt: Date,
  now: Date,
  timeZone: string,
): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(nextOpenAt);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  // "9:00" in every language (the 24-hour clock reads the same across them).
  const time = `${Number(part('hour'))}:${part('minute')}`;
  const localDay = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(at);
  const tomorrow = new Date(now.getTime() + 24 * 60 * 60_000);
  const day =
    localDay(nextOpenAt) === localDay(now)
      ? 'today'
      : localDay(nextOpenAt) === localDay(tomorrow)
        ? 'tomorrow'
        : new Intl.DateTimeFormat(language, { timeZone, weekday: 'long' }).format(nextOpenAt);
  return BOT_WORDING[language].teamBack(time, day);
}
