export {
  connectChatwoot,
  ConnectUsageError,
  ANALYTICS_SUBSCRIPTIONS,
  DASHBOARD_APP_TITLE,
} from './connect-chatwoot.js';
export type { ConnectOptions, ConnectResult } from './connect-chatwoot.js';
export { ChatwootCallError } from './chatwoot-admin-api.js';
export { main } from './main.js';
