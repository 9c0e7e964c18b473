/**
 * A knowledge passage as the sentences a person would read: the chunker's heading path taken
 * off (it is for retrieval, not for the customer), lines wrapped in the middle of a sentence
 * joined again, list items and table rows kept as one unit each, markdown markup removed.
 */
export interface PassageSentences {
  /** The chunk's heading path ("Repairs and servicing > Can you collect my bike?"), or ''. */
  heading: string;
  /** The last heading of the path: in an FAQ, the question this section answers. */
  section: string;
  sentences: string[];
}

const TERMINAL = /[.!?:;)]$/;
const LIST_ITEM = /^\s*(?:[-*•+]|\d{1,2}[.)])\s+/;
const TABLE_RULE = /^\s*\|?[\s:|-]{3,}\|?\s*$/;

export function passageSentences(text: string, documentTitle = ''): PassageSentences {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let heading = '';
  const first = lines[0]?.trim() ?? '';
  if (lines.length > 1 && isHeadingPath(first, documentTitle)) {
    heading = first.replace(/^#{1,6}\s+/, '');
    lines.shift();
  }
  const section = heading.split(' > ').at(-1)?.trim() ?? '';
  const units: string[] = [];
  let current = '';
  const flush = () => {
    if (current.trim()) units.push(current.trim());
    current = '';
  };
  for (const raw of lines) {
    const line = raw.trim();
    if (!line || TABLE_RULE.test(line)) {
      flush();
      continue;
    }
    if (/^#{1,6}\s+/.test(line)) {
      flush();
      continue; // a heading inside the chunk labels what follows; it answers nothing
    }
    if (LIST_ITEM.test(line) || /^\|.*\|$/.test(line)) {
      flush();
      current = tableRow(line.replace(LIST_ITEM, ''));
      continue;
    }
    if (current && continuesSentence(current, line)) current = `${current} ${line}`;
    else {
      flush();
      current = line;
    }
  }
  flush();
  const sentences = units
    .flatMap(splitSentences)
    .map(cleanMarkup)
    .filter((s) => /\p{L}|\p{N}/u.test(s));
  return { heading, section, sentences };
}

/** The chunker's first line: a heading path or the document's title, never a sentence. */
function isHeadingPath(line: string, documentTitle: string): boolean {
  if (line.includes(' > ') || /^#{1,6}\s/.test(line)) return true;
  if (documentTitle && line === documentTitle.trim()) return true;
  return false;
}

/**
 * A wrapped line goes on with the sentence of the previous one when it starts in lower case, or
 * when the previous one was long (text wrapped at a width) and stopped in the middle of a phrase
 * (a word or a comma). Lines without a full stop that end in a figure are items of a list
 * ("Volta Trek: GBP 3,499"), and short ones are its labels ("City bikes"): kept apart.
 */
function continuesSentence(previous: string, line: string): boolean {
  if (/[.!?]$/.test(previous)) return false;
  if (/^[\p{Ll}(]/u.test(line)) return true;
  if (TERMINAL.test(previous)) return false;
  return previous.length >= 40 && /[\p{Ll},&-]$/u.test(previous);
}

function splitSentences(unit: string): string[] {
  return unit
    .split(/(?<=[.!?])\s+(?=[\p{Lu}\d£"“(])/u)
    .map((s) => s.trim())
    .filter(Boolean);
}

function tableRow(line: string): string {
  if (!/^\|.*\|$/.test(line)) return line;
  return line
    .slice(1, -1)
    .split('|')
    .map((cell) => cell.trim())
    .filter(Boolean)
    .join(': ');
}

/** Markdown emphasis and links as plain text (the channel adds its own formatting). */
function cleanMarkup(sentence: string): string {
  return sentence
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/__(.+?)__/g, '$1')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}
