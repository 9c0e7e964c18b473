/** What /playground/api/state returns: shared by the page and the server. */
export interface PlaygroundState {
  assistants: Array<{ key: string; name: string; model: string }>;
  assistant: string;
  /** The configured inboxes the page can talk to (one assistant may serve several channels). */
  inboxes: Array<{ id: number; assistant: string; channel: string; label: string }>;
  inboxId: number;
  /** `web`: a Chatwoot website widget (Markdown, clickable options, no 24-hour window); else WhatsApp. */
  channel: string;
  businessName: string;
  clock: string;
  customer: { phone: string; name: string; email: string; attributes: Record<string, unknown> };
  conversation: {
    id: number;
    displayId: number;
    status: 'open' | 'pending' | 'resolved' | 'snoozed';
    assignee: string | null;
    labels: string[];
    attributes: Record<string, unknown>;
  } | null;
  messages: PlaygroundMessage[];
  turns: PlaygroundTurn[];
  handoffs: Array<{ at: string; reason: string; detail: string }>;
  totalCostUsd: string;
  /** How analytics files the conversation (channel, customer): null until its events arrive. */
  analytics: {
    channel: string;
    customerId: number;
    customerPhoneEnding: string | null;
    customerMessages: number;
  } | null;
}

export interface PlaygroundMessage {
  id: number;
  /** incoming: from the customer; outgoing: bot or agent; activity: system notices. */
  kind: 'incoming' | 'outgoing' | 'activity' | 'template';
  private: boolean;
  sender: string;
  text: string;
  /** input_select options; `selected` is the value a website visitor clicked. */
  choices: Array<{ title: string; value: string }>;
  selected: string | null;
  /** Name of the WhatsApp template, when the message was sent as one. */
  template: string | null;
  /** `id` keys the element on the page, so a poll never re-creates (and re-downloads) it. */
  attachments: Array<{ id: number; fileType: string; url: string | null }>;
  status: string | null;
  error: string | null;
  createdAt: string;
}

export interface PlaygroundTurn {
  turnId: string;
  at: string;
  outcome: string;
  latencyMs: number | null;
  mergedMessages: number;
  regenerations: number;
  costUsd: string;
  calls: Array<{
    kind: 'model_call' | 'tool_call' | 'knowledge_search';
    name: string;
    provider: string;
    outcome: string;
    latencyMs: number | null;
    inputTokens: number;
    outputTokens: number;
    costUsd: string;
    detail: string;
  }>;
}
