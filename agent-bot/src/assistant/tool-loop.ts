import type { AnalyticsEventInput } from '@switchboard/events';
import { randomUUID } from 'node:crypto';
import type {
  ChatMessage,
  GenerateRequest,
  GenerateResult,
  ToolCall,
  ToolResult,
} from '../llm/language-model.js';
import { toToolDefinition, type Tool, type ToolContext } from '../tools/tool.js';
import type { HandoffRequest, TurnContext } from '../responder/responder.js';
import { turnEnvelope } from '../responder/turn-envelope.js';

export interface ToolLoopOptions {
  /** One model call (the caller wraps retries and fallbacks around it). */
  generate: (request: GenerateRequest) => Promise<GenerateResult>;
  request: Omit<GenerateRequest, 'tools' | 'signal'>;
  tools: Tool[];
  maxSteps: number;
  signal: AbortSignal;
  toolContext: Omit<ToolContext, 'requestHandoff' | 'signal'>;
}

export interface ToolLoopResult {
  text: string;
  steps: number;
  /** `answer`: the model replied; `handoff`: a tool asked for one; `step_limit`: still calling tools. */
  stoppedBy: 'answer' | 'handoff' | 'step_limit';
  handoff?: HandoffRequest;
  /** The full conversation the model saw, tool rounds included (for tests and summaries). */
  messages: ChatMessage[];
}

/**
 * The assistant loop: the model answers or calls tools; tool calls of one step run in parallel,
 * each with its arguments checked by the tool's zod schema first. Invalid arguments, unknown
 * tools and failing tools come back to the model as error results (never thrown), so it can
 * correct itself. A handoff requested by a tool ends the turn after that step.
 */
export async function runToolLoop(options: ToolLoopOptions): Promise<ToolLoopResult> {
  const messages: ChatMessage[] = [...options.request.messages];
  const definitions = options.tools.map(toToolDefinition);
  let handoff: HandoffRequest | undefined;
  let lastText = '';

  for (let step = 1; step <= options.maxSteps; step++) {
    const result = await options.generate({
      ...options.request,
      messages,
      ...(definitions.length ? { tools: definitions } : {}),
      signal: options.signal,
    });
    lastText = result.text.trim() || lastText;
    if (result.toolCalls.length === 0) {
      return { text: result.text.trim(), steps: step, stoppedBy: 'answer', messages };
    }
    messages.push({ role: 'assistant', text: result.text, toolCalls: result.toolCalls });

    const context: ToolContext = {
      ...options.toolContext,
      signal: options.signal,
      requestHandoff: (request) => {
        handoff ??= request;
      },
    };
    const results = await Promise.all(
      result.toolCalls.map((call) => runToolCall(call, options.tools, context)),
    );
    messages.push({ role: 'tool', results });
    if (handoff) return { text: lastText, steps: step, stoppedBy: 'handoff', handoff, messages };
  }
  return { text: lastText, steps: options.maxSteps, stoppedBy: 'step_limit', messages };
}

async function runToolCall(call: ToolCall, tools: Tool[], context: ToolContext): Promise<ToolResult> {
  const started = performance.now();
  const tool = tools.find((candidate) => candidate.name === call.name);
  const finish = (
    outcome: 'ok' | 'invalid_arguments' | 'error' | 'timeout',
    content: unknown,
    error?: string,
  ): ToolResult => {
    context.emit(toolCallEvent(context.turn, call, outcome, Math.round(performance.now() - started), error));
    return { toolCallId: call.id, name: call.name, content, ...(outcome === 'ok' ? {} : { isError: true }) };
  };

  if (!tool) {
    return finish(
      'invalid_arguments',
      { error: `Unknown tool "${call.name}". Available: ${tools.map((t) => t.name).join(', ') || 'none'}.` },
      'unknown tool',
    );
  }
  if (typeof call.arguments === 'string') {
    return finish(
      'invalid_arguments',
      { error: 'The arguments were not valid JSON. Call the tool again with a JSON object.' },
      'invalid JSON',
    );
  }
  const parsed = tool.parameters.safeParse(call.arguments ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(arguments)'}: ${issue.message}`,
    );
    return finish(
      'invalid_arguments',
      { error: `Invalid arguments. ${issues.join('; ')}` },
      issues.join('; ').slice(0, 300),
    );
  }
  try {
    const output = await tool.execute(parsed.data, context);
    return finish('ok', output ?? null);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const outcome = context.signal.aborted ? 'timeout' : 'error';
    return finish(outcome, { error: `The tool failed: ${message.slice(0, 300)}` }, message.slice(0, 300));
  }
}

/** Argument names are kept, values masked: they often hold the customer's personal data. */
function maskArguments(args: unknown): Record<string, unknown> {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return {};
  return Object.fromEntries(Object.keys(args).map((key) => [key, '***']));
}

function toolCallEvent(
  turn: TurnContext,
  call: ToolCall,
  outcome: 'ok' | 'invalid_arguments' | 'error' | 'timeout',
  latencyMs: number,
  error?: string,
): AnalyticsEventInput {
  return {
    id: randomUUID(),
    occurredAt: turn.now.toISOString(),
    type: 'tool_call',
    ...turnEnvelope(turn),
    payload: {
      tool: call.name,
      turnId: turn.turnId,
      arguments: maskArguments(call.arguments),
      outcome,
      latencyMs: Math.max(0, latencyMs),
      ...(error ? { error } : {}),
    },
  };
}
