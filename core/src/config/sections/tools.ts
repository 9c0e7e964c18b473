import { z } from 'zod';

/**
 * Assistant tools (owned by agent-bot/src/tools and agent-bot/src/scheduling). Operators declare
 * what a model may do; the model only ever fills declared parameters: it never writes SQL, URLs
 * or file locations. An assistant enables a tool by listing its name in `assistants.<a>.tools`
 * (a named lookup is a tool of its own name).
 */

const toolName = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be lower_snake_case (it becomes the tool name the model sees)');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

function knownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A parameter the model fills: a small JSON-Schema subset, checked with zod before use. */
export const toolParameterSchema = z.strictObject({
  name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/, 'must be an identifier'),
  type: z.enum(['string', 'integer', 'number', 'boolean']).default('string'),
  description: z.string().min(1),
  required: z.boolean().default(true),
  enum: z.array(z.string()).optional(),
  pattern: z.string().refine(compiles, 'must be a valid regular expression').optional(),
  maxLength: z.number().int().positive().default(200),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
});

const lookupCommon = {
  /** Shown to the model: when to use this lookup and what it returns. */
  description: z.string().min(1),
  parameters: z.array(toolParameterSchema).default([]),
  timeoutMs: z.coerce.number().int().min(100).max(60_000).default(5_000),
  maxRows: z.coerce.number().int().min(1).max(500).default(20),
};

export const sqlLookupSchema = z
  .strictObject({
    kind: z.literal('sql'),
    ...lookupCommon,
    /** Usually ${ORDERS_DATABASE_URL}; a read-only database role is recommended on top of the read-only transaction. */
    connectionUrl: z.string().min(1),
    /** One SELECT using $1, $2 ... in the order of `parameters`. Run in a READ ONLY transaction. */
    query: z.string().min(1),
  })
  .superRefine((lookup, ctx) => {
    // A $n without a parameter fails every call; a parameter without $n is silently ignored.
    const used = new Set([...lookup.query.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
    for (const n of used) {
      if (n < 1 || n > lookup.parameters.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['query'],
          message: `uses $${n} but only ${lookup.parameters.length} parameters are declared`,
        });
      }
    }
    lookup.parameters.forEach((parameter, index) => {
      if (!used.has(index + 1)) {
        ctx.addIssue({
          code: 'custom',
          path: ['parameters', index],
          message: `parameter "${parameter.name}" ($${index + 1}) is not used in the query`,
        });
      }
    });
  });

export const httpLookupSchema = z.strictObject({
  kind: z.literal('http'),
  ...lookupCommon,
  method: z.enum(['GET', 'POST']).default('GET'),
  /** `{param}` placeholders are replaced by URL-encoded parameter values; GET sends the rest as query. */
  url: z.string().url(),
  /** Header values usually come from ${ENV} (e.g. `Authorization: Bearer ${SHOP_TOKEN}`). */
  headers: z.record(z.string(), z.string()).default({}),
  /** Dot paths kept from the JSON response (`status`, `items.0.name`, `items.*.sku`); empty keeps all. */
  responseFields: z.array(z.string().min(1)).default([]),
  maxResponseBytes: z.coerce
    .number()
    .int()
    .positive()
    .default(256 * 1024),
});

export const lookupSchema = z.discriminatedUnion('kind', [sqlLookupSchema, httpLookupSchema]);

const hoursSchema = z.strictObject({ days: z.array(weekday).min(1), open: hhmm, close: hhmm });

export const appointmentsSchema = z
  .strictObject({
    /** IANA zone of the business; working hours and exceptions are read in it. */
    timezone: z.string().default('UTC'),
    /** Slot starts are aligned to this grid (minutes from midnight). */
    slotStepMinutes: z.number().int().min(5).max(240).default(15),
    minNoticeMinutes: z.number().int().min(0).default(60),
    maxDaysAhead: z.number().int().min(1).max(365).default(60),
    /** Default working hours for resources that declare none. */
    workingHours: z.array(hoursSchema).default([]),
    resources: z
      .record(
        z.string().regex(/^[a-z0-9_-]+$/),
        z.strictObject({ name: z.string().min(1), workingHours: z.array(hoursSchema).optional() }),
      )
      .default({}),
    services: z
      .record(
        z.string().regex(/^[a-z0-9_-]+$/),
        z.strictObject({
          name: z.string().min(1),
          durationMinutes: z
            .number()
            .int()
            .min(5)
            .max(24 * 60),
          bufferBeforeMinutes: z.number().int().min(0).default(0),
          bufferAfterMinutes: z.number().int().min(0).default(0),
          /** Keys of resources that can provide this service (any one of them). */
          resources: z.array(z.string()).min(1),
        }),
      )
      .default({}),
    /** Closed days or special hours, in the business timezone; `resources` absent = everyone. */
    exceptions: z
      .array(
        z.strictObject({
          date: isoDate,
          resources: z.array(z.string()).optional(),
          /** Absent = closed all day; present = these hours replace the usual ones. */
          hours: z.array(z.strictObject({ open: hhmm, close: hhmm })).optional(),
          note: z.string().optional(),
        }),
      )
      .default([]),
    /** Reminders before the appointment, sent by the engine (as the template when the window is closed). */
    reminders: z
      .array(
        z.strictObject({
          minutesBefore: z.number().int().min(5),
          /** Placeholders: {service} {resource} {date} {time} {code}. */
          text: z.string().min(1),
          template: z.string().optional(),
          /** Template parameter → placeholder text, e.g. { "1": "{date}", "2": "{time}" }. */
          templateParams: z.record(z.string(), z.string()).default({}),
        }),
      )
      .default([]),
    /** Optional external calendar: each booking change is POSTed as JSON (with the .ics text). */
    calendarWebhook: z
      .strictObject({
        url: z.string().url(),
        headers: z.record(z.string(), z.string()).default({}),
        timeoutMs: z.number().int().min(100).max(30_000).default(5_000),
      })
      .optional(),
  })
  .superRefine((appointments, ctx) => {
    if (!knownTimeZone(appointments.timezone)) {
      ctx.addIssue({
        code: 'custom',
        path: ['timezone'],
        message: `unknown time zone "${appointments.timezone}"`,
      });
    }
    for (const [key, service] of Object.entries(appointments.services)) {
      service.resources.forEach((resource, index) => {
        if (!appointments.resources[resource]) {
          ctx.addIssue({
            code: 'custom',
            path: ['services', key, 'resources', index],
            message: `unknown resource "${resource}"`,
          });
        }
      });
    }
    appointments.exceptions.forEach((exception, index) => {
      for (const resource of exception.resources ?? []) {
        if (!appointments.resources[resource]) {
          ctx.addIssue({
            code: 'custom',
            path: ['exceptions', index, 'resources'],
            message: `unknown resource "${resource}"`,
          });
        }
      }
    });
  });

export const customerFieldSchema = z
  .strictObject({
    /** Attribute key in Chatwoot (`email`, `phone`, `name` also set the contact's own fields). */
    key: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
    type: z.enum(['name', 'email', 'phone', 'date', 'text', 'enum']),
    description: z.string().min(1),
    /** `contact` (merged by Chatwoot) or `conversation` (read-merge-write). */
    saveTo: z.enum(['contact', 'conversation']).default('contact'),
    pattern: z.string().refine(compiles, 'must be a valid regular expression').optional(),
    options: z.array(z.string()).optional(),
    maxLength: z.number().int().positive().default(200),
  })
  .refine((field) => field.type !== 'enum' || (field.options?.length ?? 0) > 0, {
    message: 'an enum field needs options',
    path: ['options'],
  });

export const fileSchema = z
  .strictObject({
    /** Shown to the model: what the file is and when to send it. */
    description: z.string().min(1),
    url: z.string().url().optional(),
    /** A document stored by kb-ingest: knowledge base name and the document's source. */
    knowledgeDocument: z
      .strictObject({
        knowledgeBase: z.string(),
        source: z.string(),
        /** Folder the document was uploaded from, when its source is a relative path (kb-ingest keeps no bytes). */
        root: z.string().optional(),
      })
      .optional(),
    fileName: z.string().min(1),
    contentType: z.string().optional(),
    caption: z.string().max(1024).optional(),
    /** Assistants that may send it; absent = every assistant with the send_file tool. */
    assistants: z.array(z.string()).optional(),
  })
  .refine((file) => (file.url === undefined) !== (file.knowledgeDocument === undefined), {
    message: 'a file needs exactly one of url or knowledgeDocument',
  });

export const toolsSchema = z
  .strictObject({
    lookups: z.record(toolName, lookupSchema).default({}),
    appointments: appointmentsSchema.optional(),
    /** Fields the collect_customer_data tool may save, per assistant name. */
    customerData: z.record(z.string(), z.array(customerFieldSchema)).default({}),
    files: z.record(z.string().regex(/^[a-z0-9_-]+$/), fileSchema).default({}),
    fileLimits: z
      .strictObject({
        /** WhatsApp media limits: image 5 MB, audio/video 16 MB, document 100 MB. */
        maxBytes: z
          .number()
          .int()
          .positive()
          .default(16 * 1024 * 1024),
        allowedContentTypes: z
          .array(z.string())
          .default(['application/pdf', 'image/jpeg', 'image/png', 'video/mp4', 'text/csv', 'text/plain']),
        fetchTimeoutMs: z.number().int().positive().default(15_000),
      })
      .prefault({}),
    followUps: z
      .strictObject({
        /** Template used when the window has closed; its parameter "1" gets the follow-up text. */
        template: z.string().optional(),
        maxDaysAhead: z.number().int().min(1).max(30).default(14),
      })
      .prefault({}),
  })
  .prefault({});

export type ToolsConfig = z.infer<typeof toolsSchema>;
export type LookupConfig = z.infer<typeof lookupSchema>;
export type SqlLookupConfig = z.infer<typeof sqlLookupSchema>;
export type HttpLookupConfig = z.infer<typeof httpLookupSchema>;
export type ToolParameter = z.infer<typeof toolParameterSchema>;
export type AppointmentsConfig = z.infer<typeof appointmentsSchema>;
export type CustomerFieldConfig = z.infer<typeof customerFieldSchema>;
export type FileConfig = z.infer<typeof fileSchema>;
