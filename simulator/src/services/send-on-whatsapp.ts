import type { SimulatorContext } from '../context.js';
import { wamid } from '../ids.js';
import { attachmentPushEventData } from '../presenters/attachment-presenter.js';
import type { MessageRecord, MessageStatus } from '../state/records.js';
import { canReply } from '../state/message-window.js';
import { renderWhatsappMarkdown } from './render-markdown.js';
import { buildTemplateComponents, findTemplate, type TemplateParams } from './whatsapp-templates.js';

export const TEMPLATE_NOT_FOUND = 'Template not found or invalid template name';

/** Sidekiq's retries of a SendReplyJob that raised (the contract's errata: 3). */
export const SEND_JOB_RETRIES = 3;

/** SendReplyJob: the channel send happens after the API call returned, never inside it. */
export function scheduleChannelSend(context: SimulatorContext, messageId: number, attempt = 1): void {
  context.enqueueJob('send_reply', context.behaviour.sendDelayMs, () =>
    sendOnChannel(context, messageId, attempt),
  );
}

/**
 * `Whatsapp::SendOnWhatsappService#perform_reply`, decided at send time: with `template_params`, or
 * outside the 24-hour window, a template is sent (free-form text outside the window has no template
 * name and fails with "Template not found or invalid template name"); otherwise a session message.
 * Only the first attachment is sent; audio and stickers lose their caption.
 */
export function sendOnChannel(context: SimulatorContext, messageId: number, attempt = 1): void {
  const { store } = context;
  const message = store.messages.get(messageId);
  if (!message || message.private || message.sourceId !== null) return;
  const conversation = store.conversations.get(message.conversationId);
  const inbox = store.inboxes.get(message.inboxId);
  if (!conversation || !inbox || inbox.channelType !== 'Channel::Whatsapp') return;
  const contactInbox = store.contactInboxes.get(conversation.contactInboxId);
  const to = contactInbox?.sourceId ?? '';
  const templateParams = message.additionalAttributes.template_params as TemplateParams | undefined;
  let body: Record<string, unknown>;
  try {
    if (templateParams || !canReply(context, conversation)) {
      const name = typeof templateParams?.name === 'string' ? templateParams.name : null;
      if (!name) {
        fail(
          context,
          message,
          to,
          { messaging_product: 'whatsapp', to, type: 'template' },
          TEMPLATE_NOT_FOUND,
        );
        return;
      }
      const language = typeof templateParams?.language === 'string' ? templateParams.language : undefined;
      const template = findTemplate(inbox.messageTemplates, name, language);
      body = {
        messaging_product: 'whatsapp',
        to,
        template: {
          name,
          language: { policy: 'deterministic', code: language ?? template?.language ?? 'en' },
          components: template ? buildTemplateComponents(template, templateParams?.processed_params) : [],
        },
        type: 'template',
      };
    } else {
      body = sessionMessageBody(context, message, to);
    }
  } catch {
    // An exception in the job (an ArgumentError building the request, a network timeout) is not
    // a Meta error: the message stays `sent`, with no external_error and no message_updated, and
    // Sidekiq runs the job again.
    if (attempt <= SEND_JOB_RETRIES) scheduleChannelSend(context, message.id, attempt + 1);
    return;
  }
  const sourceId = wamid();
  context.recorder.addChannelSend({
    messageId: message.id,
    conversationDisplayId: conversation.displayId,
    inboxId: inbox.id,
    to,
    type: String(body.type),
    body,
    outcome: 'sent',
    error: null,
    at: context.clock.nowMs(),
  });
  updateMessage(context, message, { sourceId });
  if (context.behaviour.autoReceipts) {
    context.enqueueJob('receipt', 1, () => {
      applyStatusReceipt(context, message.id, 'delivered');
    });
    context.enqueueJob('receipt', 2, () => {
      applyStatusReceipt(context, message.id, 'read');
    });
  }
}

function sessionMessageBody(
  context: SimulatorContext,
  message: MessageRecord,
  to: string,
): Record<string, unknown> {
  const base: Record<string, unknown> = { messaging_product: 'whatsapp' };
  const inReplyTo = message.contentAttributes.in_reply_to;
  if (inReplyTo !== undefined) {
    const original = context.store.messages.get(Number(inReplyTo));
    if (original?.sourceId) base.context = { message_id: original.sourceId };
  }
  base.to = to;
  const firstAttachmentId = message.attachmentIds[0];
  const attachment =
    firstAttachmentId === undefined ? undefined : context.store.attachments.get(firstAttachmentId);
  if (attachment) {
    const data = attachmentPushEventData(context.frontendUrl, attachment);
    const type = attachment.fileType === 'file' ? 'document' : attachment.fileType;
    const media: Record<string, unknown> = { link: data.data_url };
    const caption = renderWhatsappMarkdown(message.content);
    if (type !== 'audio' && caption) media.caption = caption;
    if (type === 'document') media.filename = attachment.fileName;
    if (type === 'audio' && attachment.isVoiceMessage) media.voice = true;
    return { ...base, type, [type]: media };
  }
  if (message.contentType === 'input_select') {
    const items = (message.contentAttributes.items as { title: string; value?: string }[] | undefined) ?? [];
    const interactive =
      items.length <= 3
        ? {
            type: 'button',
            body: { text: renderWhatsappMarkdown(message.content) ?? '' },
            action: {
              buttons: items.map((item) => ({
                type: 'reply',
                reply: { id: item.value ?? item.title, title: item.title },
              })),
            },
          }
        : {
            type: 'list',
            body: { text: renderWhatsappMarkdown(message.content) ?? '' },
            action: {
              button: 'Choose an item',
              sections: [
                { rows: items.map((item) => ({ id: item.value ?? item.title, title: item.title })) },
              ],
            },
          };
    return { ...base, type: 'interactive', interactive };
  }
  // `outgoing_content`: the stored (Liquid-rendered) content with its Markdown rendered for WhatsApp.
  const body = renderWhatsappMarkdown(message.content) ?? '';
  return { ...base, type: 'text', text: { body, preview_url: true } };
}

function fail(
  context: SimulatorContext,
  message: MessageRecord,
  to: string,
  body: Record<string, unknown>,
  error: string,
): void {
  const conversation = context.store.conversations.get(message.conversationId);
  context.recorder.addChannelSend({
    messageId: message.id,
    conversationDisplayId: conversation?.displayId ?? 0,
    inboxId: message.inboxId,
    to,
    type: String(body.type ?? 'unknown'),
    body,
    outcome: 'failed',
    error,
    at: context.clock.nowMs(),
  });
  updateMessage(context, message, {
    status: 'failed',
    contentAttributes: { ...message.contentAttributes, external_error: error },
  });
}

/** `message.update!`: any change fires `message_updated` (previous_changes present). */
export function updateMessage(
  context: SimulatorContext,
  message: MessageRecord,
  changes: Partial<Pick<MessageRecord, 'status' | 'sourceId' | 'contentAttributes' | 'content'>>,
): void {
  Object.assign(message, changes);
  message.updatedAt = context.clock.nowMs();
  context.dispatch({ name: 'message_updated', messageId: message.id });
}

/**
 * A Meta status webhook (`sent`, `delivered`, `read`, or `failed` with an error) applied the way
 * `Whatsapp::IncomingMessageBaseService#update_message_with_status` does: the status is copied as
 * it comes (a late `delivered` after `read` moves it back), a failure with errors sets
 * `external_error` to "code: title", and nothing clears it (StatusUpdateService's rules are for the
 * API-inbox path). Returns false when nothing changed (no `message_updated` then).
 */
export function applyStatusReceipt(
  context: SimulatorContext,
  messageId: number,
  status: MessageStatus,
  error?: { code: number; title: string },
): boolean {
  const message = context.store.messages.get(messageId);
  if (!message) return false;
  const contentAttributes = { ...message.contentAttributes };
  if (status === 'failed' && error) contentAttributes.external_error = `${error.code}: ${error.title}`;
  const unchanged =
    message.status === status &&
    contentAttributes.external_error === message.contentAttributes.external_error;
  if (unchanged) return false;
  updateMessage(context, message, { status, contentAttributes });
  return true;
}
