/**
 * Chatwoot's internal events (config/initializers/events and app/dispatchers), which listeners turn into
 * webhooks. Payload ids refer to store rows; listeners build the JSON when the event fires, as
 * Chatwoot's listeners do, so a later change never leaks into an earlier webhook.
 */
export type ChangedAttributes = Record<string, { previous_value: unknown; current_value: unknown }>[];

export type SimulatorEvent =
  | { name: 'conversation_created'; conversationId: number }
  | { name: 'conversation_opened'; conversationId: number }
  | { name: 'conversation_resolved'; conversationId: number }
  | { name: 'conversation_status_changed'; conversationId: number }
  | { name: 'conversation_updated'; conversationId: number; changedAttributes: ChangedAttributes }
  | { name: 'conversation_bot_handoff'; conversationId: number }
  | {
      name: 'conversation_typing_on' | 'conversation_typing_off';
      conversationId: number;
      actor: Actor;
      isPrivate: boolean;
    }
  | { name: 'message_created' | 'message_updated'; messageId: number }
  | { name: 'contact_created'; contactId: number }
  /** The website widget was opened (`webwidget.triggered` from the widget's events endpoint). */
  | { name: 'webwidget_triggered'; contactInboxId: number; eventInfo: Record<string, unknown> }
  | { name: 'contact_updated'; contactId: number; changedAttributes: ChangedAttributes };

export type SimulatorEventName = SimulatorEvent['name'];

/** Who did something through the API or the agent-side functions. */
export type Actor = { type: 'user'; id: number } | { type: 'agent_bot'; id: number } | { type: 'system' };
