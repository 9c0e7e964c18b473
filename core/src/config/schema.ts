import { z } from 'zod';
import {
  clickhouseSchema,
  databaseSchema,
  loggingSchema,
  playgroundSchema,
  serversSchema,
} from './sections/infrastructure.js';
import { chatwootSchema } from './sections/chatwoot.js';
import { assistantsSchema } from './sections/assistants.js';
import { analyticsSchema } from './sections/analytics.js';
import { knowledgeSchema } from './sections/knowledge.js';
import { mediaSchema } from './sections/media.js';
import { toolsSchema } from './sections/tools.js';

/**
 * The whole configuration, one strict schema: an unknown key anywhere is an error at start,
 * because a typo in a YAML key otherwise silently falls back to a default.
 * Each part adds its own section file under ./sections.
 */
export const switchboardConfigSchema = z.strictObject({
  server: serversSchema,
  database: databaseSchema,
  clickhouse: clickhouseSchema,
  logging: loggingSchema,
  playground: playgroundSchema,
  chatwoot: chatwootSchema,
  assistants: assistantsSchema,
  analytics: analyticsSchema,
  knowledge: knowledgeSchema,
  media: mediaSchema,
  tools: toolsSchema,
});

export type SwitchboardConfig = z.infer<typeof switchboardConfigSchema>;
export type SwitchboardConfigInput = z.input<typeof switchboardConfigSchema>;
