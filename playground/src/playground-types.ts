/** What /playground/api/state returns: shared by the page and the server. */
export interface PlaygroundState {
  assistants: Array<{ key: string; name: string; model: string }>;
  assistant: string;
  businessName: string;
  clock: string;
  customer: { phone: string; name: string; attributes: Record<string, unknown> };
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
}

export interface PlaygroundMessage {
  id: number;
  /** incoming: from the customer; outgoing: bot or agent; activity: system notices. */
  kind: 'incoming' | 'outgoing' | 'activity' | 'template';
  private: boolean;
  sender: string;
  text: string;
  choices: string[];
  /** Name of the WhatsApp template, when the message was sent as one. */
  template: string | null;
  attachments: Array<{ fileType: string; url: string | null }>;
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
