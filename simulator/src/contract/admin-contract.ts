import type { SimulatorFixture } from '../testing-setup.js';

/**
 * The administrator endpoints (http/admin-routes.ts) in the swagger contract test: the routes, a
 * scenario that calls each, and where Chatwoot's source and its swagger disagree (the source wins,
 * chatwoot-contract.md).
 */
export const ADMIN_IMPLEMENTED = [
  'GET /api/v1/accounts/{account_id}/inboxes',
  'GET /api/v1/accounts/{account_id}/inboxes/{id}/agent_bot',
  'GET /api/v1/accounts/{account_id}/agent_bots',
  'POST /api/v1/accounts/{account_id}/agent_bots',
  'GET /api/v1/accounts/{account_id}/webhooks',
  'POST /api/v1/accounts/{account_id}/webhooks',
  'PATCH /api/v1/accounts/{account_id}/webhooks/{webhook_id}',
  'GET /api/v1/accounts/{account_id}/dashboard_apps',
  'POST /api/v1/accounts/{account_id}/dashboard_apps',
  'PATCH /api/v1/accounts/{account_id}/dashboard_apps/{id}',
];

/** config/routes.rb `resources :dashboard_apps`: served, but swagger has no dashboard_apps path. */
export const ADMIN_NOT_IN_SWAGGER = [
  'GET /api/v1/accounts/{account_id}/dashboard_apps',
  'POST /api/v1/accounts/{account_id}/dashboard_apps',
  'PATCH /api/v1/accounts/{account_id}/dashboard_apps/{id}',
];

/**
 * Also differs, but the swagger schema cannot tell (no required keys): webhooks/{create,update}.json
 * .jbuilder wrap the webhook in `payload.webhook`, swagger documents the bare webhook.
 */
export const ADMIN_KNOWN_DEVIATIONS: Record<string, string> = {
  'GET /api/v1/accounts/{account_id}/webhooks response200: expected array, got object':
    'webhooks/index.json.jbuilder renders `{payload: {webhooks: [...]}}`; swagger documents a bare array',
};

/** Route param names the contract test maps to swagger's templates. */
export function adminSwaggerPath(path: string): string {
  return path.replace(':webhook_id', '{webhook_id}');
}

export async function exerciseAdminRoutes(f: SimulatorFixture): Promise<void> {
  const base = `/api/v1/accounts/${f.account.id}`;
  const admin = f.admin.accessToken;
  await f.api('GET', `${base}/inboxes`, admin);
  await f.api('GET', `${base}/inboxes/${f.inbox.id}/agent_bot`, admin);
  await f.api('GET', `${base}/agent_bots`, admin);
  await f.api('POST', `${base}/agent_bots`, admin, {
    name: 'Switchboard',
    description: 'AI agent',
    outgoing_url: 'http://agent-bot:3100/webhooks/chatwoot',
  });
  const created = await f.api('POST', `${base}/webhooks`, admin, {
    url: 'http://analytics:3200/webhooks/chatwoot/accounts/1',
    name: 'Switchboard analytics',
    subscriptions: ['conversation_created', 'message_created'],
  });
  const webhookId = (created.body as { payload: { webhook: { id: number } } }).payload.webhook.id;
  await f.api('PATCH', `${base}/webhooks/${webhookId}`, admin, {
    subscriptions: ['conversation_created', 'conversation_updated', 'message_created'],
  });
  await f.api('GET', `${base}/webhooks`, admin);
  const app = await f.api('POST', `${base}/dashboard_apps`, admin, {
    dashboard_app: { title: 'Switchboard', content: [{ type: 'frame', url: 'https://example.com/panel' }] },
  });
  await f.api('PATCH', `${base}/dashboard_apps/${(app.body as { id: number }).id}`, admin, {
    dashboard_app: { content: [{ type: 'frame', url: 'https://example.com/panel?token=x' }] },
  });
  await f.api('GET', `${base}/dashboard_apps`, admin);
}
