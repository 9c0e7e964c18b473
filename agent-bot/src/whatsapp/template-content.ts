import type { WhatsappTemplate } from '../chatwoot/chatwoot-client.js';

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
