/**
 * The polite request to type, for a voice note nobody could transcribe, in the assistant's
 * language (primary subtag); English when the language has no entry.
 */
const MESSAGES: Record<string, string> = {
  en: "Sorry, I can't listen to voice messages. Could you type your message, please?",
  pt: 'Desculpe, não consigo ouvir mensagens de voz. Pode escrever a sua mensagem, por favor?',
  es: 'Lo siento, no puedo escuchar mensajes de voz. ¿Podrías escribir tu mensaje, por favor?',
  fr: "Désolé, je ne peux pas écouter les messages vocaux. Pourriez-vous écrire votre message, s'il vous plaît ?",
  de: 'Entschuldigung, ich kann keine Sprachnachrichten anhören. Könnten Sie Ihre Nachricht bitte schreiben?',
  it: 'Mi dispiace, non posso ascoltare i messaggi vocali. Potresti scrivere il tuo messaggio, per favore?',
  nl: 'Sorry, ik kan geen spraakberichten beluisteren. Kunt u uw bericht typen, alstublieft?',
};

export function askToTypeMessage(language: string): string {
  return MESSAGES[language.split(/[-_]/)[0]!.toLowerCase()] ?? MESSAGES.en!;
}
