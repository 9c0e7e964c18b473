export { createChatwootSimulator } from './simulator/simulator.js';
export type { ChatwootSimulator, SimulatorOptions, WebhookMatch, SeedTools } from './simulator/simulator.js';
export type { AgentTools, ConversationRef } from './simulator/agent-tools.js';
export type { CustomerTools } from './simulator/customer-tools.js';
export type {
  CustomerMessageInput,
  CustomerRef,
  ReceivedMessage,
} from './simulator/services/receive-customer-message.js';
export type { SimulatorBehaviour, SimulatorContext } from './simulator/context.js';
export { DEFAULT_BEHAVIOUR } from './simulator/context.js';
export type { SimulatorClock, ClockOptions } from './simulator/clock.js';
export type { SimulatorEvent, SimulatorEventName } from './simulator/events/simulator-events.js';
export type {
  Recorder,
  WebhookRecord,
  WebhookAttempt,
  ApiCallRecord,
  ChannelSendRecord,
} from './simulator/recorder.js';
export type * from './simulator/state/records.js';
export { signWebhook, verifyWebhookSignature } from './simulator/webhooks/sign-webhook.js';
export { seedDemo } from './simulator/seed-demo.js';
export type { DemoSeed } from './simulator/seed-demo.js';
export { TEMPLATE_NOT_FOUND } from './simulator/services/send-on-whatsapp.js';
export { BOT_FAILURE_ACTIVITY } from './simulator/services/conversation-status.js';
export {
  BOT_ENDPOINT_FORBIDDEN,
  BOT_ACCOUNT_FORBIDDEN,
  INVALID_TOKEN,
} from './simulator/http/http-errors.js';
export { createWebhookReceiver } from './simulator/webhook-receiver.js';
export type { WebhookReceiver, ReceivedWebhook } from './simulator/webhook-receiver.js';
export { startSimulatorFixture } from './simulator/testing-setup.js';
export type { SimulatorFixture } from './simulator/testing-setup.js';
