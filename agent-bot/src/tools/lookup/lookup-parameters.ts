import type { ToolParameter } from '@switchboard/core';
import { z } from 'zod';

/**
 * Declared lookup parameters → the zod schema that checks the model's arguments; the tool loop
 * turns the same schema into the JSON Schema the model sees, so the two cannot disagree.
 * Strings are trimmed and length-capped; patterns and enums come from the operator.
 */
export function parameterSchema(parameters: ToolParameter[]): z.ZodObject<Record<string, z.ZodType>> {
  const shape: Record<string, z.ZodType> = {};
  for (const parameter of parameters) {
    let field: z.ZodType;
    if (parameter.type === 'string') {
      if (parameter.enum) {
        field = z.enum(parameter.enum as [string, ...string[]]);
      } else {
        let text = z.string().trim().min(1).max(parameter.maxLength);
        if (parameter.pattern)
          text = text.regex(new RegExp(parameter.pattern), `must match ${parameter.pattern}`);
        field = text;
      }
    } else if (parameter.type === 'boolean') {
      field = z.boolean();
    } else {
      let number = parameter.type === 'integer' ? z.number().int() : z.number();
      if (parameter.minimum !== undefined) number = number.min(parameter.minimum);
      if (parameter.maximum !== undefined) number = number.max(parameter.maximum);
      field = number;
    }
    field = field.describe(parameter.description);
    shape[parameter.name] = parameter.required ? field : field.optional();
  }
  return z.strictObject(shape);
}
