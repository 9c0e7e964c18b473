import type { PartAnswer } from './compose-answer.js';
import type { OFFLINE_WORDING } from './offline-wording.js';

type Wording = (typeof OFFLINE_WORDING)[keyof typeof OFFLINE_WORDING];

/**
 * The customer's answer: one paragraph per answered part, a plain "not found" for a part the
 * knowledge base does not cover, then the sources used. WhatsApp gets its bold header; other
 * channels render Markdown, where single asterisks are emphasis too.
 */
export function formatOfflineAnswer(parts: readonly PartAnswer[], words: Wording, whatsapp: boolean): string {
  // Two parts answered by the same sentences ("do you deliver, and what does delivery cost") say them once.
  const seen = new Set<string>();
  const paragraphs = parts.flatMap((p) => {
    if (p.sentences.length === 0) return [words.partNotFound(p.part)];
    const text = joinSentences(p.sentences);
    if (seen.has(text)) return [];
    seen.add(text);
    return [text];
  });
  const sources = [
    ...new Set(
      parts.flatMap((p) => {
        if (!p.passage) return [];
        const { documentTitle, source } = p.passage;
        return [
          documentTitle && documentTitle !== source
            ? `${documentTitle} (${source})`
            : source || documentTitle,
        ];
      }),
    ),
  ];
  const header = whatsapp ? `🤖 *${words.automaticAnswer}*` : `🤖 **${words.automaticAnswer}**`;
  const everyPartAnswered = parts.every((p) => p.sentences.length > 0);
  return [
    header,
    paragraphs.join('\n\n'),
    [`${words.source}: ${sources.join('; ')}`, ...(everyPartAnswered ? [words.askHuman] : [])].join('\n'),
  ].join('\n\n');
}

/** Sentences run on; a list item or a label (no full stop) keeps its own line. */
function joinSentences(sentences: readonly string[]): string {
  return sentences.reduce(
    (text, sentence, i) =>
      i === 0 ? sentence : `${text}${/[.!?]$/.test(sentences[i - 1]!) ? ' ' : '\n'}${sentence}`,
    '',
  );
}
