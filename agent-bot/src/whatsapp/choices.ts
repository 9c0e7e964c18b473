/**
 * Short choice lists go out as Chatwoot `input_select`; Chatwoot's WhatsApp Cloud provider
 * turns ≤3 items into reply buttons and more into a list (contract §3.3). WhatsApp caps a
 * button title at 20 characters, a list row at 24 and a list at 10 rows: anything beyond that
 * goes out as a numbered text list instead, which the customer answers by number or title.
 */
export const MAX_BUTTONS = 3;
const BUTTON_TITLE_MAX = 20;
const LIST_TITLE_MAX = 24;
const LIST_MAX_ROWS = 10;

export type ChoicePresentation =
  | { kind: 'buttons' | 'list'; items: { title: string; value: string }[] }
  | { kind: 'numbered_text'; text: string };

export function presentChoices(text: string, options: string[]): ChoicePresentation {
  const titles = options.map((option) => option.trim()).filter((option) => option.length > 0);
  const kind = titles.length <= MAX_BUTTONS ? 'buttons' : 'list';
  const maxTitle = kind === 'buttons' ? BUTTON_TITLE_MAX : LIST_TITLE_MAX;
  const fits =
    titles.length > 0 &&
    titles.length <= LIST_MAX_ROWS &&
    titles.every((title) => [...title].length <= maxTitle) &&
    new Set(titles.map(normalize)).size === titles.length;
  if (fits) return { kind, items: titles.map((title) => ({ title, value: title })) };
  const numbered = titles.map((title, index) => `${index + 1}. ${title}`).join('\n');
  return { kind: 'numbered_text', text: `${text}\n\n${numbered}` };
}

/**
 * WhatsApp interactive replies arrive as the picked item's *title* only (contract gotcha 17):
 * match the customer's text against the options offered last, by title or by number.
 */
export function matchChoice(reply: string, options: string[]): string | undefined {
  const wanted = normalize(reply);
  if (wanted.length === 0) return undefined;
  const byTitle = options.find((option) => normalize(option) === wanted);
  if (byTitle) return byTitle;
  const number = /^(\d{1,2})[.)]?$/.exec(wanted);
  if (number) return options[Number(number[1]) - 1];
  return undefined;
}

function normalize(text: string): string {
  return text.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
}
