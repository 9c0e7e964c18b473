/**
 * A knowledge passage made fit for a WhatsApp message: no markdown headings or tables, no
 * runs of blank lines, and cut at a sentence boundary near `maxChars` (WhatsApp allows 4,096,
 * but a chat answer should read in a few seconds).
 */
export function shortenForWhatsApp(text: string, maxChars = 600): string {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .filter((line) => !/^\s*\|.*\|\s*$/.test(line) && !/^\s*[-:| ]{3,}\s*$/.test(line))
    .map((line) =>
      line
        .replace(/^\s{0,3}#{1,6}\s+/, '')
        .replace(/\*\*(.+?)\*\*/g, '*$1*')
        .trimEnd(),
    );
  const cleaned = lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (cleaned.length <= maxChars) return cleaned;

  const window = cleaned.slice(0, maxChars);
  const sentenceEnd = Math.max(
    window.lastIndexOf('. '),
    window.lastIndexOf('.\n'),
    window.lastIndexOf('! '),
    window.lastIndexOf('? '),
    window.lastIndexOf('\n'),
  );
  const cut =
    sentenceEnd >= maxChars * 0.5
      ? window.slice(0, sentenceEnd + 1)
      : window.slice(0, window.lastIndexOf(' '));
  return `${cut.trimEnd()} …`;
}
