import type pg from 'pg';
import { searchKnowledgeBases } from '@switchboard/kb-ingest';
import type { KnowledgePassage } from '../src/tools/knowledge-search/knowledge-search.js';
import { expandQuery } from '../src/assistant/offline/answer-terms.js';
import { answerPart } from '../src/assistant/offline/compose-answer.js';
import { questionParts } from '../src/assistant/offline/question-parts.js';
import type { AnswerThresholds } from '../src/assistant/offline/answer-thresholds.js';
import {
  scorecard,
  type Attempt,
  type LabelledQuestion,
  type Scorecard,
} from '../src/assistant/offline/testing/labelled-evaluation.js';

/** Each labelled question's parts with what the search returned for them (searched once). */
export interface SearchedQuestion {
  question: LabelledQuestion;
  parts: Array<{ part: string; passages: KnowledgePassage[] }>;
}

export async function searchLabelledQuestions(
  pool: pg.Pool,
  questions: readonly LabelledQuestion[],
): Promise<SearchedQuestion[]> {
  const out: SearchedQuestion[] = [];
  for (const question of questions) {
    const parts = [];
    for (const part of questionParts(question.question)) {
      const result = await searchKnowledgeBases(
        pool,
        { accountId: 1, knowledgeBases: [question.kb], query: expandQuery(part), limit: 6, minScore: 0 },
        { record: false },
      );
      parts.push({ part, passages: result.passages });
    }
    out.push({ question, parts });
  }
  return out;
}

/** The offline assistant's decision with the given thresholds, on searches already made. */
export function evaluateThresholds(
  searched: readonly SearchedQuestion[],
  thresholds: AnswerThresholds,
): Scorecard {
  return scorecard(
    searched.map(({ question, parts }) => {
      const answers = parts.map((p) => answerPart(p.part, p.passages, () => thresholds));
      const attempt: Attempt = {
        answered: answers.some((a) => a.sentences.length > 0),
        text: answers.map((a) => a.sentences.join(' ')).join('\n'),
        searchMisses: answers.map((a) => a.sentences.length === 0),
      };
      return { question, attempt };
    }),
  );
}

export interface Calibrated {
  thresholds: AnswerThresholds;
  card: Scorecard;
}

/**
 * The thresholds with the most right outcomes (answered correctly or correctly refused) among
 * those with at most `maxWrong` confident wrong answers; ties go to the stricter pair.
 */
export function calibrate(searched: readonly SearchedQuestion[], maxWrong = 0.03): Calibrated[] {
  const results: Calibrated[] = [];
  for (let s = 0; s <= 8; s++)
    for (let c = 0; c <= 12; c++)
      for (let m = 0; m <= 10; m++) {
        const thresholds = {
          minScore: 0.2 + s * 0.05,
          minCoverage: 0.3 + c * 0.05,
          minCombined: 0.8 + m * 0.05,
        };
        results.push({ thresholds, card: evaluateThresholds(searched, thresholds) });
      }
  return results
    .filter((r) => r.card.wrong <= maxWrong)
    .sort(
      (a, b) =>
        b.card.correct - a.card.correct ||
        b.thresholds.minCombined - a.thresholds.minCombined ||
        b.thresholds.minCoverage - a.thresholds.minCoverage ||
        b.thresholds.minScore - a.thresholds.minScore,
    );
}

/**
 * The search's own minimum score alone as the verdict (kb-ingest's `miss`, what the model's
 * knowledge_search tool relies on): a question is predicted a miss when no passage of any of its
 * parts reaches it. Precision and recall of that prediction per candidate minimum.
 */
export function scoreOnlyMisses(
  searched: readonly SearchedQuestion[],
  expectsMiss: (q: LabelledQuestion) => boolean,
): Array<{ minScore: number; precision: number; recall: number; accuracy: number }> {
  const out = [];
  for (let i = 0; i <= 14; i++) {
    const minScore = 0.1 + i * 0.05;
    let tp = 0;
    let predicted = 0;
    let actual = 0;
    let right = 0;
    for (const { question, parts } of searched) {
      const miss = parts.some((p) => (p.passages[0]?.score ?? 0) < minScore);
      const truth = expectsMiss(question);
      if (miss) predicted += 1;
      if (truth) actual += 1;
      if (miss && truth) tp += 1;
      if (miss === truth) right += 1;
    }
    out.push({
      minScore,
      precision: predicted ? tp / predicted : 0,
      recall: actual ? tp / actual : 0,
      accuracy: right / searched.length,
    });
  }
  return out;
}
