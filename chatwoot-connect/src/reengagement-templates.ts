import type { ChatwootInbox } from './chatwoot-admin-api.js';
import type { ReengagementTemplate } from './config-file.js';

/**
 * Outside WhatsApp's 24-hour window only an approved template may be sent, and Chatwoot sends one
 * only when it finds it in the inbox's synced `message_templates` by name, language
 * (case-insensitive) and `status == approved` (app/services/whatsapp/template_processor_service.rb).
 * The answer to "is it there?" is a sentence an operator can act on.
 */
export type TemplateCheck =
  { ok: true; summary: string } | { ok: false; summary: string; instructions: string };

export function checkReengagementTemplate(
  inbox: ChatwootInbox,
  assistant: string,
  template: ReengagementTemplate | null,
): TemplateCheck {
  const where = `inbox ${inbox.id} "${inbox.name}"`;
  if (!template) {
    return {
      ok: false,
      summary: `${where}: assistant "${assistant}" names no re-engagement template`,
      instructions:
        `Set assistants.${assistant}.conversation.reengagementTemplate (name, language, params) in the config, ` +
        'create that template in WhatsApp Manager, and run this command again. Without it, no message can ' +
        'reach a customer whose last message is more than 24 hours old.',
    };
  }
  const sameName = (inbox.message_templates ?? []).filter(
    (candidate) =>
      candidate.name === template.name &&
      (candidate.language ?? '').toLowerCase() === template.language.toLowerCase(),
  );
  const approved = sameName.find((candidate) => (candidate.status ?? '').toLowerCase() === 'approved');
  const label = `"${template.name}" (${template.language})`;
  if (approved) return { ok: true, summary: `${where}: template ${label} is approved` };
  const create = createInstructions(template);
  if (sameName.length > 0) {
    const status = sameName.map((candidate) => candidate.status ?? 'unknown').join(', ');
    return {
      ok: false,
      summary: `${where}: template ${label} exists but is ${status}, not approved`,
      instructions: status.toLowerCase().includes('rejected')
        ? `Meta rejected it: edit it in WhatsApp Manager (see the reason there) or create a new one. ${create}`
        : 'Wait for Meta to approve it (WhatsApp Manager → Message templates shows the status), then run this command again.',
    };
  }
  return {
    ok: false,
    summary: `${where}: no template ${label} in the inbox's synced templates`,
    instructions: create,
  };
}

function createInstructions(template: ReengagementTemplate): string {
  const variables = Object.keys(template.params).sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  const body =
    variables.length === 0
      ? 'a body with no variables'
      : `a body that uses ${variables.map((name) => `{{${name}}}`).join(', ')} (filled with ` +
        variables.map((name) => `${name} = ${template.params[name]}`).join(', ') +
        ')';
  return (
    `In WhatsApp Manager → Message templates → Create template: category ${capitalize(template.category)}, ` +
    `name ${template.name}, language ${template.language}, ${body}. Once Meta approves it, Chatwoot picks it ` +
    'up within 3 hours (or at once after POST /api/v1/accounts/<account>/inboxes/<inbox>/sync_templates); ' +
    'then run this command again.'
  );
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
