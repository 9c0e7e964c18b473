import type { GenerateRequest, GenerateResult, LanguageModel, ModelUsage } from './language-model.js';

/** One scripted step: a result (partial, filled with defaults), an error to throw, or a function. */
export type ScriptedStep =
  | (Partial<Omit<GenerateResult, 'usage'>> & { usage?: Partial<ModelUsage> })
  | Error
  | ((request: GenerateRequest, callIndex: number) => GenerateResult | Promise<GenerateResult>);

export interface ScriptedLanguageModelOptions {
  provider?: string;
  modelId?: string;
  supportsImages?: boolean;
  supportsTools?: boolean;
  /** Played in order; the last step repeats when the script runs out. */
  steps: ScriptedStep[];
}

/**
 * A LanguageModel test double (like the AI SDK's MockLanguageModel): plays scripted results
 * and records every request, so tests of the engine, simulator and benchmarks need no provider.
 */
export class ScriptedLanguageModel implements LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  readonly supportsImages: boolean;
  readonly supportsTools: boolean;
  readonly calls: GenerateRequest[] = [];
  private readonly steps: ScriptedStep[];

  constructor(options: ScriptedLanguageModelOptions) {
    if (options.steps.length === 0) throw new Error('ScriptedLanguageModel needs at least one step');
    this.provider = options.provider ?? 'scripted';
    this.modelId = options.modelId ?? 'scripted-model';
    this.supportsImages = options.supportsImages ?? true;
    this.supportsTools = options.supportsTools ?? true;
    this.steps = options.steps;
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const index = this.calls.length;
    // Deep copy: callers mutate their message arrays between steps of the tool loop.
    this.calls.push(structuredClone({ ...request, signal: undefined }));
    if (request.signal?.aborted) throw request.signal.reason ?? new Error('aborted');
    const step = this.steps[Math.min(index, this.steps.length - 1)]!;
    if (step instanceof Error) throw step;
    if (typeof step === 'function') return step(request, index);
    const toolCalls = step.toolCalls ?? [];
    return {
      text: step.text ?? '',
      toolCalls,
      finishReason: step.finishReason ?? {
        unified: toolCalls.length ? 'tool-calls' : 'stop',
        raw: toolCalls.length ? 'tool_calls' : 'stop',
      },
      usage: { ...emptyUsage(), ...step.usage },
      responseModelId: step.responseModelId ?? this.modelId,
      ...(step.responseId ? { responseId: step.responseId } : {}),
    };
  }
}

export function emptyUsage(): ModelUsage {
  return {
    inputTokens: 0,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    audioInputTokens: 0,
    imageInputTokens: 0,
  };
}
