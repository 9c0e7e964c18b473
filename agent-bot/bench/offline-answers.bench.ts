import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { createTestDatabase } from '@switchboard/core/testing';
import { searchKnowledgeBases } from '@switchboard/kb-ingest';
import { shortenForWhatsApp } from '../src/assistant/offline/shorten-for-whatsapp.js';
import {
  attemptWithOfflineAssistant,
  ingestLabelledKnowledgeBases,
  loadLabelledSet,
  scorecard,
  type Attempt,
  type LabelledQuestion,
  type Scorecard,
} from '../src/assistant/offline/testing/labelled-evaluation.js';

/**
 * Offline answers (issue 21): the labelled questions over the two sample knowledge bases,
 * answered by the strategy before this change (the best passage above the search's minimum
 * score, pasted whole) and by the offline assistant now; answered correctly / correctly refused
 * / wrongly answered / wrongly refused, and the precision and recall of a recorded miss.
 */
async function baselineAttempt(pool: pg.Pool, question: LabelledQuestion): Promise<Attempt> {
  void randomUUID;
  const result = await searchKnowledgeBases(
    pool,
    { accountId: 1, knowledgeBases: [question.kb], query: question.question, limit: 3 },
    { record: false },
  );
  const top = result.passages[0];
  if (result.miss || !top) return { answered: false, text: '', searchMisses: [true] };
  return { answered: true, text: shortenForWhatsApp(top.text), searchMisses: [false] };
}

const pct = (n: number) => `${(100 * n).toFixed(1)} %`;

function row(label: string, card: Scorecard): string {
  const c = card.counts;
  return [
    label.padEnd(22),
    `${c['answered correctly']}`.padStart(8),
    `${c['correctly refused']}`.padStart(8),
    `${c['wrongly answered']}`.padStart(8),
    `${c['wrongly refused']}`.padStart(8),
    pct(card.correct).padStart(9),
    pct(card.wrong).padStart(8),
    pct(card.missPrecision).padStart(9),
    pct(card.missRecall).padStart(9),
  ].join(' ');
}

export default async function offlineAnswersBenchmark(): Promise<void> {
  const db = await createTestDatabase();
  try {
    await ingestLabelledKnowledgeBases(db.pool);
    const { questions } = loadLabelledSet();
    const before: Array<{ question: LabelledQuestion; attempt: Attempt }> = [];
    const after: Array<{ question: LabelledQuestion; attempt: Attempt }> = [];
    for (const question of questions) {
      before.push({ question, attempt: await baselineAttempt(db.pool, question) });
      after.push({ question, attempt: await attemptWithOfflineAssistant(db.pool, question) });
    }
    console.log(`${questions.length} labelled questions (offline embedder, real word vectors)`);
    console.log(
      `${'strategy'.padEnd(22)} ${'correct'.padStart(8)} ${'refused'.padStart(8)} ${'wrong'.padStart(8)} ${'missed'.padStart(8)} ${'ok share'.padStart(9)} ${'wrong %'.padStart(8)} ${'miss P'.padStart(9)} ${'miss R'.padStart(9)}`,
    );
    const kbs = [...new Set(questions.map((q) => q.kb))];
    for (const [label, results] of [
      ['before (best passage)', before],
      ['after (sentences)', after],
    ] as const) {
      console.log(row(label, scorecard(results)));
      for (const kb of kbs)
        console.log(row(`  ${kb}`, scorecard(results.filter((r) => r.question.kb === kb))));
    }
    console.log('target: ok share >= 90 %, wrong <= 3 %');
    const failures = scorecard(after).failures;
    if (failures.length) console.log(`after, not right:\n  ${failures.join('\n  ')}`);
  } finally {
    await db.drop();
  }
}
