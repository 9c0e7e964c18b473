import type { CustomerFieldConfig } from '@switchboard/core';
import { z } from 'zod';
import { defineTool, type Tool } from '../tool.js';
import type { CustomerProfile } from '../../responder/responder.js';
import { countryFor, validateField } from './validate-field.js';

/**
 * Saves details the customer gave (e-mail, phone, birthday, plan ...) after checking them.
 * Valid values are saved at once; invalid ones come back with the problem so the model asks
 * again. Contact fields go through updateContact (Chatwoot merges contact attributes);
 * conversation fields through mergeConversationAttributes (the engine reads, merges, writes,
 * because Chatwoot replaces conversation attributes).
 */
export function createCollectCustomerDataTool(options: {
  /** tools.customerData: declared fields per assistant name. */
  fieldsByAssistant: Record<string, CustomerFieldConfig[]>;
}): Tool {
  // One schema for the process: the union of every assistant's fields, each optional. A field
  // another assistant declared is refused at run time (least privilege per assistant).
  const byKey = new Map<string, CustomerFieldConfig>();
  for (const fields of Object.values(options.fieldsByAssistant)) {
    for (const field of fields) if (!byKey.has(field.key)) byKey.set(field.key, field);
  }
  const shape: Record<string, z.ZodType> = {};
  for (const field of byKey.values()) {
    shape[field.key] = z
      .string()
      .max(500)
      .optional()
      .describe(
        `${field.description} (${field.type}${field.options ? `: ${field.options.join(' | ')}` : ''})`,
      );
  }
  const parameters = z.strictObject(shape);

  return defineTool({
    name: 'collect_customer_data',
    description:
      'Save details the customer has just given you, exactly as they wrote them (the tool checks and normalises ' +
      'them). Only pass fields the customer actually provided. If a value is invalid, the result says why: ask the ' +
      'customer again for that field, never invent or fix a value yourself.',
    parameters,
    async execute(args, context) {
      const { turn } = context;
      const declared = new Map((options.fieldsByAssistant[turn.assistant] ?? []).map((f) => [f.key, f]));
      const country = countryFor(turn.customer.phone, context.assistant.language);
      const language = context.assistant.language;
      const locale = country && !language.includes('-') ? `${language}-${country}` : language;

      const saved: Record<string, string> = {};
      const invalid: Array<{ field: string; problem: string }> = [];
      const contact: {
        name?: string;
        email?: string;
        phone?: string;
        customAttributes: Record<string, unknown>;
      } = {
        customAttributes: {},
      };
      const conversation: Record<string, unknown> = {};

      for (const [key, raw] of Object.entries(args as Record<string, string | undefined>)) {
        if (raw === undefined) continue;
        const field = declared.get(key);
        if (!field) {
          invalid.push({ field: key, problem: 'this assistant does not collect this field' });
          continue;
        }
        const result = validateField(field, raw, { country, locale, now: turn.now });
        if (!result.ok) {
          invalid.push({ field: key, problem: result.problem });
          continue;
        }
        saved[key] = result.value;
        if (field.saveTo === 'conversation') conversation[key] = result.value;
        else if (key === 'name' || key === 'email' || key === 'phone') contact[key] = result.value;
        else contact.customAttributes[key] = result.value;
      }

      if (Object.keys(saved).length > 0) {
        try {
          if (
            contact.name ||
            contact.email ||
            contact.phone ||
            Object.keys(contact.customAttributes).length > 0
          ) {
            await turn.actions.updateContact(contact);
          }
          if (Object.keys(conversation).length > 0)
            await turn.actions.mergeConversationAttributes(conversation);
        } catch {
          throw new Error(
            'The details could not be saved right now (helpdesk not reachable). Nothing was saved.',
          );
        }
      }

      const stillMissing = missingFields([...declared.values()], turn.customer, saved);
      return {
        saved,
        ...(invalid.length > 0
          ? {
              invalid,
              instruction: 'Ask the customer again for the invalid fields, explaining the problem briefly.',
            }
          : {}),
        ...(stillMissing.length > 0 ? { stillMissing } : {}),
      };
    },
  });
}

/**
 * The declared fields that still have no valid value, in declaration order: not saved now
 * (an invalid value is still missing), not on the contact already (name/e-mail/phone from its
 * profile, other contact fields from its custom attributes, empty values not counting). A
 * conversation field is missing until saved: the turn does not see the conversation's
 * attributes, and asking once more is better than never asking.
 */
export function missingFields(
  declared: readonly CustomerFieldConfig[],
  customer: CustomerProfile,
  saved: Record<string, string>,
): string[] {
  const present = (value: unknown): boolean =>
    value !== undefined && value !== null && String(value).trim() !== '';
  return declared
    .filter((field) => {
      if (present(saved[field.key])) return false;
      if (field.saveTo === 'conversation') return true;
      if (field.key === 'name' || field.key === 'email' || field.key === 'phone') {
        return !present(customer[field.key]);
      }
      return !present(customer.attributes[field.key]);
    })
    .map((field) => field.key);
}
