import type { WhatsappTemplate } from '../chatwoot/chatwoot-client.js';
import type { ConversationState } from '../transcript/conversation-store.js';
import type { EngineContext } from '../engine/engine-context.js';
import type { PlannedPart } from '../engine/plan-reply.js';

/** How long an inbox's template list is reused before it is read from Chatwoot again. */
const TEMPLATES_TTL_MS = 10 * 60_000;
const cache = new WeakMap<EngineContext, Map<string, { at: number; templates: WhatsappTemplate[] | null }>>();

/**
 * What the customer actually receives for a template message: the approved body with the
 * parameters filled in ({{1}} positional or {{name}} named, as Chatwoot sends them). Null when
 * the template is not in the list (Chatwoot would send it without components).
 */
export function renderTemplateBody(
  templates: WhatsappTemplate[],
  template: { name: string; language: string },
  params: Record<string, string>,
): string | null {
  const language = template.language.toLowerCase();
  const found =
    templates.find(
      (t) =>
        t.name === template.name &&
        (t.language ?? '').toLowerCase() === language &&
        (t.status ?? 'APPROVED').toUpperCase() === 'APPROVED',
    ) ?? null;
  const body = found?.components.find((c) => c.type.toUpperCase() === 'BODY')?.text;
  if (!body) return null;
  return body.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (placeholder, key: string) => params[key] ?? placeholder);
}

/**
 * Template parts are stored and posted with the text the customer will see as their content, so
 * agents read in Chatwoot what was actually sent (not the answer the template stands in for).
 * Templates come from the inbox (user token, cached); without them the content names the
 * template and its parameters.
 */
export async function fillTemplateContents(
  engine: EngineContext,
  conversation: Pick<ConversationState, 'accountId' | 'inboxId'>,
  parts: PlannedPart[],
): Promise<void> {
  const templateParts = parts.filter((part) => part.kind === 'template' && part.template);
  if (templateParts.length === 0) return;
  const templates = await inboxTemplates(engine, conversation.accountId, conversation.inboxId);
  for (const part of templateParts) {
    const params = part.request.template_params as
      { processed_params?: { body?: Record<string, string> } } | undefined;
    const body = params?.processed_params?.body ?? {};
    const rendered = templates ? renderTemplateBody(templates, part.template!, body) : null;
    const values = Object.values(body).filter(Boolean).join(' | ');
    part.request = {
      ...part.request,
      content: rendered ?? `[template ${part.template!.name}]${values ? ` ${values}` : ''}`,
    };
  }
}

async function inboxTemplates(
  engine: EngineContext,
  accountId: number,
  inboxId: number,
): Promise<WhatsappTemplate[] | null> {
  let perEngine = cache.get(engine);
  if (!perEngine) cache.set(engine, (perEngine = new Map()));
  const key = `${accountId}:${inboxId}`;
  const hit = perEngine.get(key);
  if (hit && Date.now() - hit.at < TEMPLATES_TTL_MS) return hit.templates;
  try {
    const templates = await engine.client(accountId).inboxTemplates(inboxId);
    perEngine.set(key, { at: Date.now(), templates });
    return templates;
  } catch (error) {
    engine.logger.warn(
      { account: accountId, inbox: inboxId, error: (error as Error).message },
      'could not read the inbox templates; template messages show their name and parameters',
    );
    return hit?.templates ?? null;
  }
}
