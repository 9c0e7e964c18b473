/**
 * The polite request to type, for a voice note that could not be transcribed (no provider, a
 * provider outage, a broken recording), in the assistant's language (primary subtag); English
 * when the language has no entry. Worded so it is true whatever the reason was.
 */
const MESSAGES: Record<string, string> = {
  en: "Sorry, I couldn't listen to your voice message. Could you type it, please?",
  pt: 'Desculpe, não consegui ouvir a sua mensagem de voz. Pode escrevê-la, por favor?',
  es: 'Lo siento, no he podido escuchar tu mensaje de voz. ¿Podrías escribirlo, por favor?',
  fr: "Désolé, je n'ai pas pu écouter votre message vocal. Pourriez-vous l'écrire, s'il vous plaît ?",
  de: 'Entschuldigung, ich konnte Ihre Sprachnachricht nicht anhören. Könnten Sie sie bitte schreiben?',
  it: 'Mi dispiace, non sono riuscito ad ascoltare il tuo messaggio vocale. Potresti scriverlo, per favore?',
  nl: 'Sorry, ik kon uw spraakbericht niet beluisteren. Kunt u het alstublieft typen?',
};

export function askToTypeMessage(language: string): string {
  return MESSAGES[language.split(/[-_]/)[0]!.toLowerCase()] ?? MESSAGES.en!;
}
