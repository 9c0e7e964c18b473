export { createChatwootSimulator } from './simulator.js';
export type { ChatwootSimulator, SimulatorOptions, WebhookMatch, SeedTools } from './simulator.js';
export type { AgentTools, ConversationRef } from './agent-tools.js';
export type { CustomerTools } from './customer-tools.js';
export type { WidgetTools } from './widget-tools.js';
export type { WidgetVisitor, WidgetMessageInput } from './services/receive-widget-message.js';
export type {
  CustomerMessageInput,
  CustomerRef,
  ReceivedMessage,
} from './services/receive-customer-message.js';
export type { SimulatorBehaviour, SimulatorContext } from './context.js';
export { DEFAULT_BEHAVIOUR } from './context.js';
export type { SimulatorClock, ClockOptions } from './clock.js';
export type { SimulatorEvent, SimulatorEventName } from './events/simulator-events.js';
export type {
  Recorder,
  WebhookRecord,
  WebhookAttempt,
  ApiCallRecord,
  ChannelSendRecord,
} from './recorder.js';
export type * from './state/records.js';
export { signWebhook, verifyWebhookSignature } from './webhooks/sign-webhook.js';
export { seedDemo } from './seed-demo.js';
export { blobRedirectPath } from './presenters/attachment-presenter.js';
export type { DemoSeed } from './seed-demo.js';
export { renderLiquidContent, renderMessageLiquid } from './services/render-liquid.js';
export { TEMPLATE_NOT_FOUND } from './services/send-on-whatsapp.js';
export { BOT_FAILURE_ACTIVITY } from './services/conversation-status.js';
export { BOT_ENDPOINT_FORBIDDEN, BOT_ACCOUNT_FORBIDDEN, INVALID_TOKEN } from './http/http-errors.js';
export { createWebhookReceiver } from './webhook-receiver.js';
export type { WebhookReceiver, ReceivedWebhook } from './webhook-receiver.js';
export { startSimulatorFixture } from './testing-setup.js';
export type { SimulatorFixture } from './testing-setup.js';
