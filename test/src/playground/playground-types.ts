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
}

export interface PlaygroundMessage {
  id: number;
  /** incoming: from the customer; outgoing: bot or agent; activity: system notices. */
  kind: 'incoming' | 'outgoing' | 'activity' | 'template';
  private: boolean;
  sender: string;
  text: string;
  choices: string[];
  attachments: Array<{ fileType: string; url: string | null }>;
  status: string | null;
  error: string | null;
  createdAt: string;
}

export interface PlaygroundTurn {
  turnId: string;
  outcome: string;
  latencyMs: number | null;
  mergedMessages: number;
  costUsd: string;
  handoffReason: string | null;
  modelCalls: Array<{ provider: string; model: string; outcome: string; inputTokens: number; cachedInputTokens: number; outputTokens: number; costUsd: string }>;
  toolCalls: Array<{ tool: string; outcome: string; latencyMs: number }>;
  passages: Array<{ documentTitle: string; score: number; text: string }>;
}
