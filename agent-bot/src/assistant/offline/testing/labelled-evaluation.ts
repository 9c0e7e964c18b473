import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { REPO_ROOT } from '@switchboard/core';
import { createKnowledgeBase, ingestPaths, searchKnowledgeBases } from '@switchboard/kb-ingest';
import { z } from 'zod';
import { assistantConfig, buildTurn } from '../../testing/build-turn.js';
import { answerOffline } from '../offline-responder.js';

/**
 * The labelled question set of the offline assistant (__fixtures__/labelled-questions.json) and
 * how an answer is graded against it; shared by the vitest threshold test and the bench.
 */
const labelledSetSchema = z.object({
  knowledgeBases: z.record(z.string(), z.string()),
  questions: z
    .array(
      z.object({
        kb: z.string(),
        kind: z.enum(['direct', 'paraphrase', 'multi-part', 'off-topic', 'unanswerable']),
        question: z.string().min(1),
        facts: z.array(z.string()),
        partial: z.boolean().optional(),
      }),
    )
    .min(60),
});
export type LabelledQuestion = z.infer<typeof labelledSetSchema>['questions'][number];

const fixture = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '__fixtures__',
  'labelled-questions.json',
);

export function loadLabelledSet(): z.infer<typeof labelledSetSchema> {
  return labelledSetSchema.parse(JSON.parse(fs.readFileSync(fixture, 'utf8')));
}

/** One knowledge base per entry of the set (account 1), ingested with the offline embedder. */
export async function ingestLabelledKnowledgeBases(pool: pg.Pool): Promise<void> {
  for (const [name, folder] of Object.entries(loadLabelledSet().knowledgeBases)) {
    await createKnowledgeBase(pool, { accountId: 1, name, language: 'english', ifNotExists: true });
    const summary = await ingestPaths(pool, {
      accountId: 1,
      kb: name,
      paths: [path.resolve(REPO_ROOT, folder)],
    });
    if (summary.failed > 0 || summary.added + summary.updated + summary.unchanged === 0)
      throw new Error(`sample knowledge base ${name} not ingested: ${JSON.stringify(summary.documents)}`);
  }
}

/** What a strategy did with one question. */
export interface Attempt {
  /** False when it refused (said it does not know, handed off). */
  answered: boolean;
  text: string;
  /** The outcome recorded for each knowledge search it made. */
  searchMisses: boolean[];
}

export type Verdict = 'answered correctly' | 'correctly refused' | 'wrongly answered' | 'wrongly refused';

/**
 * A question with facts is answered correctly when every fact appears ('|' separates accepted
 * spellings); an answer without them is a confident wrong answer. A question without facts must
 * be refused.
 */
export function grade(question: LabelledQuestion, attempt: Attempt): Verdict {
  if (question.facts.length === 0) return attempt.answered ? 'wrongly answered' : 'correctly refused';
  if (!attempt.answered) return 'wrongly refused';
  const text = normalise(attempt.text);
  const all = question.facts.every((fact) =>
    fact.split('|').some((spelling) => text.includes(normalise(spelling))),
  );
  return all ? 'answered correctly' : 'wrongly answered';
}

/** The knowledge base has no answer to (some part of) the question: a search should be a miss. */
export function expectsMiss(question: LabelledQuestion): boolean {
  return question.facts.length === 0 || question.partial === true;
}

export interface Scorecard {
  total: number;
  counts: Record<Verdict, number>;
  /** Share answered correctly or correctly refused. */
  correct: number;
  /** Share answered wrongly (confidently). */
  wrong: number;
  /** Of the questions with a recorded miss, the share that really had no answer. */
  missPrecision: number;
  /** Of the questions with no answer (in part), the share with a recorded miss. */
  missRecall: number;
  failures: string[];
}

export function scorecard(
  results: ReadonlyArray<{ question: LabelledQuestion; attempt: Attempt }>,
): Scorecard {
  const counts: Record<Verdict, number> = {
    'answered correctly': 0,
    'correctly refused': 0,
    'wrongly answered': 0,
    'wrongly refused': 0,
  };
  let truePositive = 0;
  let predicted = 0;
  let actual = 0;
  const failures: string[] = [];
  for (const { question, attempt } of results) {
    const verdict = grade(question, attempt);
    counts[verdict] += 1;
    if (verdict === 'wrongly answered' || verdict === 'wrongly refused')
      failures.push(
        `${verdict}: [${question.kb}] ${question.question} → ${attempt.text.replace(/\s+/g, ' ').slice(0, 160)}`,
      );
    const missed = attempt.searchMisses.some(Boolean);
    if (missed) predicted += 1;
    if (expectsMiss(question)) actual += 1;
    if (missed && expectsMiss(question)) truePositive += 1;
  }
  const total = results.length;
  return {
    total,
    counts,
    correct: (counts['answered correctly'] + counts['correctly refused']) / total,
    wrong: counts['wrongly answered'] / total,
    missPrecision: predicted === 0 ? 0 : truePositive / predicted,
    missRecall: actual === 0 ? 0 : truePositive / actual,
    failures,
  };
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ');
}

/** The offline assistant as the engine runs it, on one labelled question. */
export async function attemptWithOfflineAssistant(
  pool: pg.Pool,
  question: LabelledQuestion,
): Promise<Attempt> {
  const assistant = assistantConfig({ knowledgeBases: [question.kb] });
  const { turn, events } = buildTurn(question.question);
  const reply = await answerOffline(turn, assistant, { db: { pool }, knowledgeSearch: searchKnowledgeBases });
  const first = reply.messages[0];
  return {
    answered: !reply.handoff && first?.kind === 'text',
    text: first?.kind === 'text' ? first.text : (reply.handoff?.customerMessage ?? ''),
    searchMisses: events.flatMap((e) =>
      e.type === 'knowledge_search' ? [(e.payload as { outcome: string }).outcome === 'miss'] : [],
    ),
  };
}
