import type { ClickHouse } from '@switchboard/core';
import { DEDUPLICATED_READ_SETTINGS, EVENTS } from '../../metrics/definitions/storage.js';

/** What the insight panel shows for one conversation (GET /api/conversations/:id/insight). */
export interface ConversationInsight {
  conversationId: number;
  found: boolean;
  assistant: string | null;
  channel: string | null;
  status: string | null;
  startedAt: string | null;
  totalCostUsd: string;
  costByKind: Record<string, string>;
  tokens: { input: number; output: number };
  messages: { customer: number; ai: number; humanAgent: number };
  handoffs: { at: string; reason: string; detail: string }[];
  turns: InsightTurn[];
  media: {
    at: string;
    kind: 'transcription' | 'vision';
    method: string;
    model: string;
    costUsd: string;
    latencyMs: number | null;
    text: string;
    outcome: string;
  }[];
  /** Calls not tied to a turn (e.g. a model call before the turn was recorded). */
  unattached: InsightCall[];
}

export interface InsightCall {
  at: string;
  kind: 'model_call' | 'tool_call' | 'knowledge_search';
  name: string;
  provider: string;
  latencyMs: number | null;
  outcome: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: string;
  detail: string;
}

export interface InsightTurn {
  turnId: string;
  at: string;
  latencyMs: number | null;
  mergedMessages: number;
  regenerations: number;
  outcome: string;
  costUsd: string;
  calls: InsightCall[];
}

interface EventLine {
  type: string;
  occurred_at: string;
  turn_id: string;
  model: string;
  provider: string;
  tool: string;
  purpose: string;
  latency_ms: number | null;
  outcome: string;
  input_tokens: number;
  output_tokens: number;
  cost_usd: string;
  merged_messages: number;
  regenerations: number;
  handoff_reason: string;
  text: string;
  error: string;
  knowledge_hits: number;
  payload: string;
}

const MAX_EVENTS = 5000;

function addUsd(a: string, b: string): string {
  const scale = (v: string) => {
    const [w, f = ''] = v.split('.');
    const neg = w!.startsWith('-');
    const n = BigInt(`${w!.replace('-', '')}${f.padEnd(12, '0').slice(0, 12)}`);
    return neg ? -n : n;
  };
  const sum = scale(a) + scale(b);
  const neg = sum < 0n;
  const digits = (neg ? -sum : sum).toString().padStart(13, '0');
  const text = `${digits.slice(0, -12)}.${digits.slice(-12)}`.replace(/\.?0+$/, '');
  return `${neg ? '-' : ''}${text || '0'}`;
}

/** One conversation of one account: never another account's, whatever id is asked for. */
export async function loadConversationInsight(
  ch: Pick<ClickHouse, 'client'>,
  accountId: number,
  conversationId: number,
): Promise<ConversationInsight> {
  const params = { account: accountId, conversation: conversationId };
  const [summaryRows, lines] = await Promise.all([
    ch.client
      .query({
        query: `SELECT assistant, channel, status, started_at, toString(cost_usd) AS cost,
                  toString(cost_model_usd) AS model, toString(cost_transcription_usd) AS transcription,
                  toString(cost_vision_usd) AS vision, toString(cost_whatsapp_usd) AS whatsapp,
                  toString(cost_embedding_usd) AS embedding, input_tokens, output_tokens,
                  messages_customer, messages_ai, messages_human
                FROM conversations_summary
               WHERE account_id = {account:Int64} AND conversation_id = {conversation:Int64}`,
        query_params: params,
        format: 'JSONEachRow',
      })
      .then((r) => r.json<Record<string, string | number>>()),
    ch.client
      .query({
        query: `SELECT type, occurred_at, turn_id, model, provider, tool, purpose, latency_ms, outcome,
                  input_tokens, output_tokens, toString(cost_usd) AS cost_usd, merged_messages, regenerations,
                  handoff_reason, text, error, knowledge_hits,
                  if(type = 'knowledge_search', payload, '') AS payload
                FROM ${EVENTS}
               WHERE account_id = {account:Int64} AND conversation_id = {conversation:Int64}
                 AND type IN ('turn', 'model_call', 'tool_call', 'knowledge_search', 'transcription', 'vision', 'handoff')
               ORDER BY occurred_at, id LIMIT ${MAX_EVENTS}`,
        query_params: params,
        clickhouse_settings: DEDUPLICATED_READ_SETTINGS,
        format: 'JSONEachRow',
      })
      .then((r) => r.json<EventLine>()),
  ]);
  const s = summaryRows[0];
  const turns = new Map<string, InsightTurn>();
  const callsByTurn = new Map<string, InsightCall[]>();
  const unattached: InsightCall[] = [];
  const media: ConversationInsight['media'] = [];
  const handoffs: ConversationInsight['handoffs'] = [];
  for (const e of lines) {
    if (e.type === 'turn') {
      turns.set(e.turn_id, {
        turnId: e.turn_id,
        at: e.occurred_at,
        latencyMs: e.latency_ms,
        mergedMessages: Number(e.merged_messages),
        regenerations: Number(e.regenerations),
        outcome: e.outcome,
        costUsd: '0',
        calls: [],
      });
    } else if (e.type === 'handoff') {
      handoffs.push({ at: e.occurred_at, reason: e.handoff_reason, detail: e.text });
    } else if (e.type === 'transcription' || e.type === 'vision') {
      media.push({
        at: e.occurred_at,
        kind: e.type,
        method: e.purpose,
        model: e.model,
        costUsd: e.cost_usd,
        latencyMs: e.latency_ms,
        text: e.text,
        outcome: e.outcome,
      });
    } else {
      const call: InsightCall = {
        at: e.occurred_at,
        kind: e.type as InsightCall['kind'],
        name: e.type === 'model_call' ? e.model : e.type === 'tool_call' ? e.tool : 'knowledge base',
        provider: e.provider,
        latencyMs: e.latency_ms,
        outcome: e.outcome,
        inputTokens: Number(e.input_tokens),
        outputTokens: Number(e.output_tokens),
        costUsd: e.cost_usd,
        detail: e.type === 'knowledge_search' ? knowledgeDetail(e) : e.error,
      };
      if (e.turn_id) callsByTurn.set(e.turn_id, [...(callsByTurn.get(e.turn_id) ?? []), call]);
      else unattached.push(call);
    }
  }
  // A call whose turn was never recorded (turn still running, or lost) is still shown.
  for (const [turnId, calls] of callsByTurn) {
    const turn = turns.get(turnId);
    if (!turn) unattached.push(...calls);
    else {
      turn.calls = calls;
      turn.costUsd = calls.reduce((sum, c) => addUsd(sum, c.costUsd), '0');
    }
  }
  return {
    conversationId,
    found: s !== undefined,
    assistant: s?.assistant ? String(s.assistant) : null,
    channel: s?.channel ? String(s.channel) : null,
    status: s?.status ? String(s.status) : null,
    startedAt: s ? String(s.started_at) : null,
    totalCostUsd: s ? String(s.cost) : '0',
    costByKind: s
      ? Object.fromEntries(
          ['model', 'transcription', 'vision', 'whatsapp', 'embedding'].map((k) => [k, String(s[k])]),
        )
      : {},
    tokens: { input: Number(s?.input_tokens ?? 0), output: Number(s?.output_tokens ?? 0) },
    messages: {
      customer: Number(s?.messages_customer ?? 0),
      ai: Number(s?.messages_ai ?? 0),
      humanAgent: Number(s?.messages_human ?? 0),
    },
    handoffs,
    turns: [...turns.values()],
    media,
    unattached,
  };
}

/** "query (3 hits): Opening hours (0.82), FAQ (0.41)": what was searched and what came back. */
function knowledgeDetail(e: EventLine): string {
  let titles = '';
  try {
    const payload = JSON.parse(e.payload || '{}') as {
      passages?: { documentTitle: string; score: number }[];
    };
    titles = (payload.passages ?? []).map((p) => `${p.documentTitle} (${p.score.toFixed(2)})`).join(', ');
  } catch {
    // An older event without passages: the query and the count are enough.
  }
  return `${e.text} (${e.knowledge_hits} hits)${titles ? `: ${titles}` : ''}`;
}
