import type { AssistantConfig, ChatwootAccountConfig, Logger, SwitchboardConfig } from '@switchboard/core';

/** A Chatwoot inbox bound to the assistant that answers it (from the configuration). */
export interface InboxBinding {
  account: ChatwootAccountConfig;
  inboxId: number;
  assistantName: string;
  assistant: AssistantConfig;
  channel: 'whatsapp' | 'web' | 'api' | 'test';
  /** Website inboxes: the greeting for a visitor who opens the widget; null = none. */
  greeting: string | null;
}

/** The configured inboxes by `account:inbox`; one naming an unknown assistant is skipped (and logged). */
export function bindInboxes(config: SwitchboardConfig, logger: Logger): Map<string, InboxBinding> {
  const inboxes = new Map<string, InboxBinding>();
  for (const account of config.chatwoot.accounts) {
    for (const inbox of account.inboxes) {
      const assistant = config.assistants[inbox.assistant];
      if (!assistant) {
        logger.warn(
          { account: account.id, inbox: inbox.id, assistant: inbox.assistant },
          'inbox names an unknown assistant; ignored',
        );
        continue;
      }
      inboxes.set(inboxKey(account.id, inbox.id), {
        account,
        inboxId: inbox.id,
        assistantName: inbox.assistant,
        assistant,
        channel: inbox.channel,
        greeting: inbox.channel === 'web' ? (inbox.greeting ?? null) : null,
      });
    }
  }
  return inboxes;
}

export function inboxKey(accountId: number, inboxId: number): string {
  return `${accountId}:${inboxId}`;
}
