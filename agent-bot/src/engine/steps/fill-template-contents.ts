import type { WhatsappTemplate } from '../../chatwoot/chatwoot-client.js';
import type { ConversationState } from '../../store/conversations.js';
import type { PlannedPart } from '../../whatsapp/plan-reply.js';
import { renderTemplateBody } from '../../whatsapp/template-content.js';
import type { EngineContext } from '../engine-context.js';

/** How long an inbox's template list is reused before it is read from Chatwoot again. */
const TEMPLATES_TTL_MS = 10 * 60_000;
const cache = new WeakMap<EngineContext, Map<string, { at: number; templates: WhatsappTemplate[] | null }>>();

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
