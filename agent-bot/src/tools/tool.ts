import { z } from 'zod';
import type { AnalyticsEventInput } from '@switchboard/events';
import type { AssistantConfig } from '@switchboard/core';
import type { ToolDefinition } from '../llm/language-model.js';
import type { HandoffRequest, TurnContext } from '../responder/responder.js';

/**
 * A tool the model may call. Its arguments are a zod object schema: sent to the model as JSON
 * Schema, and checked before `execute` runs, so `execute` only ever sees valid arguments.
 * Whatever `execute` returns (JSON-serialisable) goes back to the model; a thrown error goes
 * back too, as an error result, so the model can recover or apologise.
 */
export interface Tool<Schema extends z.ZodType = z.ZodType> {
  /** snake_case, unique; the name assistants list under `tools:`. */
  name: string;
  /** Tells the model when to use it (and when not). */
  description: string;
  parameters: Schema;
  execute(args: z.output<Schema>, context: ToolContext): Promise<unknown>;
}

export interface ToolContext {
  turn: TurnContext;
  assistant: AssistantConfig;
  /** The turn's signal (superseded turn, turn deadline). */
  signal: AbortSignal;
  /** Ends the turn with a handoff once this step's tool calls are done. */
  requestHandoff(request: HandoffRequest): void;
  /** Collects analytics events (written by the engine in the turn's transaction). */
  emit(event: AnalyticsEventInput): void;
}

/** Keeps the schema's type for `execute` (a plain object literal would widen it). */
export function defineTool<Schema extends z.ZodType>(tool: Tool<Schema>): Tool<Schema> {
  return tool;
}

/** The model-facing description: JSON Schema from zod 4 (no $schema key; some providers refuse it). */
export function toToolDefinition(tool: Tool): ToolDefinition {
  const { $schema: _ignored, ...parameters } = z.toJSONSchema(tool.parameters, { io: 'input' }) as Record<
    string,
    unknown
  >;
  return { name: tool.name, description: tool.description, parameters };
}

/** Looks tools up by the names an assistant enables; unknown names fail at start, not mid-chat. */
export function selectTools(
  available: readonly Tool[],
  enabled: readonly string[],
  assistant: string,
): Tool[] {
  const byName = new Map(available.map((tool) => [tool.name, tool]));
  return enabled.map((name) => {
    const tool = byName.get(name);
    if (!tool) {
      throw new Error(
        `assistants.${assistant}.tools: unknown tool "${name}" (available: ${[...byName.keys()].join(', ')})`,
      );
    }
    return tool;
  });
}
