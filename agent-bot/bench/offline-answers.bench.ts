import type pg from 'pg';
import { createTestDatabase } from '@switchboard/core/testing';
import { searchKnowledgeBases } from '@switchboard/kb-ingest';
import { ANSWER_THRESHOLDS, type AnswerThresholds } from '../src/assistant/offline/answer-thresholds.js';
import { shortenForWhatsApp } from '../src/assistant/offline/shorten-for-whatsapp.js';
import {
  calibrate,
  evaluateThresholds,
  scoreOnlyMisses,
  searchLabelledQuestions,
} from './offline-answer-calibration.js';
import {
  attemptWithOfflineAssistant,
  expectsMiss,
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

const fmtThresholds = (t: AnswerThresholds) =>
  `minScore ${t.minScore.toFixed(2)}, minCoverage ${t.minCoverage.toFixed(2)}, minCombined ${t.minCombined.toFixed(2)}`;

/**
 * The offline embedder's thresholds chosen on all labelled questions, and each knowledge base's
 * own choice tried on the other one (how much the choice depends on the set it was made on).
 */
async function printCalibration(pool: pg.Pool, questions: readonly LabelledQuestion[]): Promise<void> {
  const searched = await searchLabelledQuestions(pool, questions);
  const best = calibrate(searched);
  console.log(`\ncalibration (offline embedder), now ${fmtThresholds(ANSWER_THRESHOLDS.offline)}:`);
  for (const { thresholds, card } of best.slice(0, 5))
    console.log(`  ${fmtThresholds(thresholds)}: ok ${pct(card.correct)}, wrong ${pct(card.wrong)}`);
  console.log('the search score alone as the miss verdict (offline embedder):');
  for (const r of scoreOnlyMisses(searched, expectsMiss))
    console.log(
      `  minScore ${r.minScore.toFixed(2)}: miss precision ${pct(r.precision)}, recall ${pct(r.recall)}, accuracy ${pct(r.accuracy)}`,
    );
  const kbs = [...new Set(questions.map((q) => q.kb))];
  for (const kb of kbs) {
    const chosen = calibrate(searched.filter((s) => s.question.kb === kb))[0];
    if (!chosen) continue;
    for (const other of kbs.filter((k) => k !== kb)) {
      const card = evaluateThresholds(
        searched.filter((s) => s.question.kb === other),
        chosen.thresholds,
      );
      console.log(
        `  chosen on ${kb} (${fmtThresholds(chosen.thresholds)}), tried on ${other}: ok ${pct(card.correct)}, wrong ${pct(card.wrong)}`,
      );
    }
  }
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
    await printCalibration(db.pool, questions);
    const failures = scorecard(after).failures;
    if (failures.length) console.log(`after, not right:\n  ${failures.join('\n  ')}`);
  } finally {
    await db.drop();
  }
}
