import type { Responder, TurnContext, TurnReply } from '../src/responder/responder.js';

export type Script = (context: TurnContext, call: number) => Promise<TurnReply> | TurnReply;

/**
 * A scripted model for the engine's tests: returns chosen replies and tool calls (actions),
 * records every context it was given, and can be slowed down to land messages mid-generation.
 */
export class ScriptedResponder implements Responder {
  readonly calls: TurnContext[] = [];
  delayMs = 0;

  constructor(private script: Script = defaultScript) {}

  setScript(script: Script): void {
    this.script = script;
  }

  async respond(context: TurnContext): Promise<TurnReply> {
    this.calls.push(context);
    if (this.delayMs > 0) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, this.delayMs);
        context.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          // An aborted generation has still cost something: say so, as a real model would.
          this.emitCost(context);
          reject(context.signal.reason as Error);
        });
      });
    }
    this.emitCost(context);
    return this.script(context, this.calls.length);
  }

  private emitCost(context: TurnContext): void {
    context.emit({
      type: 'model_call',
      payload: {
        provider: 'scripted',
        model: 'scripted',
        latencyMs: this.delayMs,
        outcome: 'ok',
        usage: { inputTokens: 10, outputTokens: 5 },
        costByKind: { model: '0.000100' },
        priceVersion: 'test',
      },
    } as never);
  }
}

/** Echoes what it answers: "re: <all pending texts joined by ' | '>". */
export function defaultScript(context: TurnContext): TurnReply {
  return { messages: [{ kind: 'text', text: `re: ${context.pending.map((m) => m.text).join(' | ')}` }] };
}
