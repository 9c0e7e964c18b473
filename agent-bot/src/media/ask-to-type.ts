import { BOT_WORDING } from '../language/bot-wording.js';
import { detectCustomerLanguage, wordedLanguage } from '../language/customer-language.js';

/**
 * The polite request to type, for a voice note that could not be transcribed (no provider, a
 * provider outage, a broken recording), in the language the customer writes in (`customerTexts`,
 * their messages oldest first), else the assistant's (`language`, primary subtag), else English.
 * Worded so it is true whatever the reason was.
 */
export function askToTypeMessage(language: string, customerTexts: readonly string[] = []): string {
  const chosen =
    customerTexts.length > 0 ? detectCustomerLanguage(customerTexts, language) : wordedLanguage(language);
  return BOT_WORDING[chosen].askToType;
}
