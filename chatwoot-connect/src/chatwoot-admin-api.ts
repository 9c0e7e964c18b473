import { z } from 'zod';

/**
 * The Chatwoot calls the connect command makes, with an administrator's `api_access_token`
 * (chatwoot-contract.md §3.1; paths from config/routes.rb, bodies from swagger.json and the
 * controllers). Responses are checked with zod, keeping only what the command reads.
 */

/** A Chatwoot call that failed: names the call and quotes Chatwoot's answer. */
export class ChatwootCallError extends Error {
  constructor(
    readonly call: string,
    readonly status: number | null,
    readonly answer: string,
  ) {
    super(status === null ? `${call} failed: ${answer}` : `${call} answered HTTP ${status}: ${answer}`);
    this.name = 'ChatwootCallError';
  }
}

const inboxSchema = z.object({
  id: z.number(),
  name: z.string(),
  channel_type: z.string(),
  phone_number: z.string().nullish(),
  message_templates: z
    .array(
      z.object({ name: z.string(), language: z.string().nullish(), status: z.string().nullish() }).loose(),
    )
    .nullish(),
});
export type ChatwootInbox = z.infer<typeof inboxSchema>;

const agentBotSchema = z.object({
  id: z.number(),
  name: z.string().nullish(),
  outgoing_url: z.string().nullish(),
  account_id: z.number().nullish(),
  access_token: z.string().nullish(),
  /** Chatwoot >= 4.13, administrators only. */
  secret: z.string().nullish(),
});
export type ChatwootAgentBot = z.infer<typeof agentBotSchema>;

const webhookSchema = z.object({
  id: z.number(),
  url: z.string(),
  subscriptions: z.array(z.string()).nullish(),
  /** Chatwoot >= 4.12. */
  secret: z.string().nullish(),
});
export type ChatwootWebhook = z.infer<typeof webhookSchema>;

const dashboardAppSchema = z.object({
  id: z.number(),
  title: z.string().nullish(),
  content: z.array(z.object({ type: z.string().nullish(), url: z.string().nullish() }).loose()).nullish(),
});
export type ChatwootDashboardApp = z.infer<typeof dashboardAppSchema>;

const ANSWER_EXCERPT = 400;

export class ChatwootAdminApi {
  private readonly base: string;

  constructor(
    baseUrl: string,
    readonly accountId: number,
    private readonly token: string,
    private readonly timeoutMs = 15_000,
  ) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  private async call<T extends z.ZodType>(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    schema: T,
    body?: unknown,
  ): Promise<z.infer<T>> {
    const fullPath = `/api/v1/accounts/${this.accountId}${path}`;
    const name = `${method} ${fullPath}`;
    let response: Response;
    try {
      response = await fetch(this.base + fullPath, {
        method,
        headers: {
          api_access_token: this.token,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ChatwootCallError(name, null, cause?.code ?? cause?.message ?? (error as Error).message);
    }
    const text = await response.text();
    if (!response.ok) throw new ChatwootCallError(name, response.status, excerpt(text));
    let json: unknown = null;
    try {
      // `head :ok` answers have no body.
      if (text !== '') json = JSON.parse(text);
    } catch {
      throw new ChatwootCallError(name, response.status, `not JSON: ${excerpt(text)}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new ChatwootCallError(
        name,
        response.status,
        `unexpected shape (${parsed.error.issues[0]?.message})`,
      );
    }
    return parsed.data;
  }

  /** GET /inboxes → `{payload: [inbox]}` (inboxes/index.json.jbuilder). */
  async listInboxes(): Promise<ChatwootInbox[]> {
    return (await this.call('GET', '/inboxes', z.object({ payload: z.array(inboxSchema) }))).payload;
  }

  /** GET /inboxes/{id}: a WhatsApp inbox carries its synced `message_templates`. */
  async getInbox(id: number): Promise<ChatwootInbox> {
    return this.call('GET', `/inboxes/${id}`, inboxSchema);
  }

  /** GET /inboxes/{id}/agent_bot → `{agent_bot: {...}}`, an empty object when none is connected. */
  async inboxAgentBotId(id: number): Promise<number | null> {
    const schema = z.object({ agent_bot: z.object({ id: z.number().optional() }).loose().nullish() });
    return (await this.call('GET', `/inboxes/${id}/agent_bot`, schema)).agent_bot?.id ?? null;
  }

  /** POST /inboxes/{id}/set_agent_bot `{agent_bot: id}` → `head :ok` (empty body). */
  async setInboxAgentBot(inboxId: number, botId: number): Promise<void> {
    await this.call('POST', `/inboxes/${inboxId}/set_agent_bot`, z.unknown(), { agent_bot: botId });
  }

  /** GET /agent_bots: the account's bots and the system bots (no account_id, no outgoing_url). */
  async listAgentBots(): Promise<ChatwootAgentBot[]> {
    return this.call('GET', '/agent_bots', z.array(agentBotSchema));
  }

  /** POST /agent_bots: top-level params (AgentBotsController#permitted_params), swagger's payload. */
  async createAgentBot(input: {
    name: string;
    description: string;
    outgoingUrl: string;
  }): Promise<ChatwootAgentBot> {
    return this.call('POST', '/agent_bots', agentBotSchema, {
      name: input.name,
      description: input.description,
      outgoing_url: input.outgoingUrl,
    });
  }

  /** GET /webhooks → `{payload: {webhooks: [...]}}` (webhooks/index.json.jbuilder). */
  async listWebhooks(): Promise<ChatwootWebhook[]> {
    const schema = z.object({ payload: z.object({ webhooks: z.array(webhookSchema) }) });
    return (await this.call('GET', '/webhooks', schema)).payload.webhooks;
  }

  /** POST /webhooks, swagger's flat payload (Rails wraps it into `webhook`) → `{payload: {webhook}}`. */
  async createWebhook(input: {
    url: string;
    name: string;
    subscriptions: string[];
  }): Promise<ChatwootWebhook> {
    const schema = z.object({ payload: z.object({ webhook: webhookSchema }) });
    return (await this.call('POST', '/webhooks', schema, input)).payload.webhook;
  }

  /** PATCH /webhooks/{webhook_id} → `{payload: {webhook}}`. */
  async updateWebhookSubscriptions(id: number, subscriptions: string[]): Promise<ChatwootWebhook> {
    const schema = z.object({ payload: z.object({ webhook: webhookSchema }) });
    return (await this.call('PATCH', `/webhooks/${id}`, schema, { subscriptions })).payload.webhook;
  }

  /** GET /dashboard_apps → `[app]` (contract §6; not in swagger). */
  async listDashboardApps(): Promise<ChatwootDashboardApp[]> {
    return this.call('GET', '/dashboard_apps', z.array(dashboardAppSchema));
  }

  /** POST /dashboard_apps `{dashboard_app: {title, content: [{type: "frame", url}]}}` (contract §6). */
  async createDashboardApp(title: string, url: string): Promise<ChatwootDashboardApp> {
    return this.call('POST', '/dashboard_apps', dashboardAppSchema, {
      dashboard_app: { title, content: [{ type: 'frame', url }] },
    });
  }

  async updateDashboardAppUrl(id: number, url: string): Promise<ChatwootDashboardApp> {
    return this.call('PATCH', `/dashboard_apps/${id}`, dashboardAppSchema, {
      dashboard_app: { content: [{ type: 'frame', url }] },
    });
  }
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return '(empty body)';
  return flat.length > ANSWER_EXCERPT ? `${flat.slice(0, ANSWER_EXCERPT)}…` : flat;
}
