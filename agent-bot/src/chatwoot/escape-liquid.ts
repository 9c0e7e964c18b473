import type { CreateMessageRequest } from './chatwoot-client.js';

/**
 * Chatwoot renders every outgoing message's `content` (private notes included) and every string
 * of `template_params.processed_params` as a Liquid template before saving it
 * (app/models/concerns/liquidable.rb, a `before_create`), with contact/agent/conversation/inbox/
 * account drops. So `{{name}}` in a model's answer arrives blank, and `{% if … %}` swallows text.
 * The bot's text is never a template: each Liquid opener is wrapped in `{% raw %}…{% endraw %}`,
 * which renders back to exactly the text that was written.
 *
 * Three details of Chatwoot 4.x (liquid 5.4) decide the exact form:
 * - Chatwoot first wraps every backtick pair (`…`, non-greedy, across lines) in raw itself, so
 *   text inside a code span is left alone (a raw inside that raw would show), and a `{` just
 *   before a span or a `}` just after one is escaped (it would join Chatwoot's own tags into
 *   `{{%` / `%}}`).
 * - The 5.4 tokenizer ends a `{{` token at `}` plus one optional `}`: a `}` right after our
 *   `{% endraw %}` would be eaten into it, so the closing braces of `{{}}` go inside the raw.
 * - A text whose code span holds an `endraw` tag cannot be escaped; sent as written, Chatwoot's
 *   own wrapping then fails to parse, and Chatwoot keeps the content unchanged (it rescues
 *   Liquid errors), which is what we want.
 */
export function escapeLiquid(text: string, options: { codeSpans?: boolean } = {}): string {
  if (!/[{}]/.test(text)) return text;
  const codeSpans = options.codeSpans ?? true;
  if (!codeSpans) return escapeOpeners(text);
  const spans = [...text.matchAll(CODE_SPAN)];
  if (spans.some((span) => ENDRAW.test(span[0]))) return text;
  let escaped = '';
  let from = 0;
  for (const span of spans) {
    escaped += escapeOutside(text.slice(from, span.index), from > 0, true) + span[0];
    from = span.index + span[0].length;
  }
  return escaped + escapeOutside(text.slice(from), from > 0, false);
}

/** The request as Chatwoot must receive it for its Liquid pass to leave the text as written. */
export function escapeLiquidInRequest<T extends CreateMessageRequest>(request: T): T {
  const params = request.template_params?.processed_params;
  return {
    ...request,
    content: escapeLiquid(request.content),
    ...(request.template_params && params
      ? {
          template_params: {
            ...request.template_params,
            // Chatwoot renders each parameter on its own, without the code-span pass.
            processed_params: escapeValues(params),
          },
        }
      : {}),
  };
}

/** liquidable.rb `modified_liquid_content`: content.gsub(/`(.*?)`/m, …). */
const CODE_SPAN = /`[\s\S]*?`/g;
const ENDRAW = /\{%-?\s*endraw\b/;
/** `{{` with the `}` run right after it (see above), or `{%`. */
const OPENER = /\{\{\}*|\{%/g;

const raw = (piece: string): string => `{% raw %}${piece}{% endraw %}`;

function escapeOpeners(text: string): string {
  return text.replace(OPENER, raw);
}

function escapeOutside(segment: string, afterSpan: boolean, beforeSpan: boolean): string {
  const lead = afterSpan && segment.startsWith('}');
  let escaped = escapeOpeners(lead ? segment.slice(1) : segment);
  // What is left ending in `{` is a lone brace (an opener ends in `%}` once escaped).
  if (beforeSpan && escaped.endsWith('{')) escaped = escaped.slice(0, -1) + raw('{');
  return (lead ? raw('}') : '') + escaped;
}

function escapeValues<V>(value: V): V {
  if (typeof value === 'string') return escapeLiquid(value, { codeSpans: false }) as V;
  if (Array.isArray(value)) return value.map((item: unknown) => escapeValues(item)) as V;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, escapeValues(item)]),
    ) as V;
  }
  return value;
}
