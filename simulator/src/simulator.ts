import type { FastifyInstance } from 'fastify';
import { createClock, type ClockOptions, type SimulatorClock } from './clock.js';
import { DEFAULT_BEHAVIOUR, type SimulatorBehaviour, type SimulatorContext } from './context.js';
import { createAccountWebhookListener } from './events/account-webhook-listener.js';
import { createAgentBotListener } from './events/agent-bot-listener.js';
import type { SimulatorEvent } from './events/simulator-events.js';
import { createSimulatorServer } from './http/create-simulator-server.js';
import { createRecorder, type Recorder, type WebhookRecord } from './recorder.js';
import * as seed from './seed.js';
import { createAgentTools, type AgentTools, type ConversationRef } from './agent-tools.js';
import { createCustomerTools, type CustomerTools } from './customer-tools.js';
import { createWidgetTools, type WidgetTools } from './widget-tools.js';
import { applyStatusReceipt, updateMessage } from './services/send-on-whatsapp.js';
import { handleAgentBotFailure } from './services/handle-bot-failure.js';
import { reopenSnoozedConversations } from './services/reopen-snoozed.js';
import type { ConversationRecord, MessageRecord, MessageStatus } from './state/records.js';
import { createStore, findConversation, messagesOf, type SimulatorStore } from './state/store.js';
import { loadStore, persistStore, type StorePersistence } from './state/persist-store.js';
import { createWebhookDelivery } from './webhooks/webhook-delivery.js';
import { waitFor, type WaitOptions } from './wait-for.js';
import { registerControlRoutes } from './http/control-routes.js';

export interface SimulatorOptions {
  /** Port to listen on; 0 (the default) picks a free one. `false` = no HTTP server (library only). */
  port?: number | false;
  host?: string;
  /** FRONTEND_URL for attachment URLs; defaults to the listening address. */
  frontendUrl?: string;
  clock?: ClockOptions;
  behaviour?: Partial<SimulatorBehaviour>;
  /**
   * Keep the rows in this directory (the playground: `<SWITCHBOARD_DATA_DIR>/simulator`): loaded at
   * start, saved after every change and on close, so ids continue after a restart. Omit for memory only.
   */
  dataDir?: string;
}

export interface WebhookMatch {
  event?: string;
  kind?: 'agent_bot' | 'account_webhook';
  /** Bot id (agent_bot) or account webhook id. */
  targetId?: number;
  outcome?: 'pending' | 'delivered' | 'failed';
  where?: (record: WebhookRecord) => boolean;
}

export interface ChatwootSimulator {
  /** Base URL of the HTTP server (`http://127.0.0.1:<port>`), or '' without one. */
  readonly url: string;
  readonly store: SimulatorStore;
  readonly clock: SimulatorClock;
  readonly recorder: Recorder;
  readonly behaviour: SimulatorBehaviour;
  readonly context: SimulatorContext;
  readonly seed: SeedTools;
  readonly customer: CustomerTools;
  /** A visitor of a website inbox (Channel::WebWidget). */
  readonly widget: WidgetTools;
  readonly agent: AgentTools;
  /** Run Chatwoot's scheduled jobs as of the simulator clock (today: reopen snoozed conversations whose time came). */
  runScheduledJobs(): { reopenedSnoozed: number };
  /** The (EE) audio transcription finishing: fills `transcribed_text` and fires `message_updated`. */
  transcribe(messageId: number, text: string): void;
  /** A Meta status webhook for an outgoing message: sent → delivered → read, or failed. */
  receipt(messageId: number, status: MessageStatus, error?: { code: number; title: string }): boolean;
  conversation(ref: ConversationRef): ConversationRecord;
  /** Every message of a conversation in order (activity and private notes included). */
  messages(ref: ConversationRef): MessageRecord[];
  webhooks(match?: WebhookMatch): WebhookRecord[];
  /**
   * Chatwoot's internal events as they fire (a message created, a status changed), before any
   * webhook goes out. For load drivers that must not poll; returns the unsubscribe function.
   */
  onEvent(listener: (event: SimulatorEvent) => void): () => void;
  waitFor<T>(probe: () => T | undefined | null | false, options?: WaitOptions): Promise<T>;
  /** Wait for a webhook matching `match` to finish (delivered or failed unless `outcome` says otherwise). */
  waitForWebhook(match: WebhookMatch, options?: WaitOptions): Promise<WebhookRecord>;
  /** Wait until no delivery and no background job (channel sends, receipts) is queued or running. */
  waitForIdle(options?: WaitOptions): Promise<void>;
  /** The Chatwoot API routes the HTTP server answers (for the contract test). */
  registeredApiRoutes(): { method: string; url: string }[];
  /** With `dataDir`: write the rows now (they are saved within ~50 ms of a change anyway; after direct edits of `store`, call this). */
  save(): void;
  close(): Promise<void>;
}

export interface SeedTools {
  account: (input?: Parameters<typeof seed.createAccount>[1]) => ReturnType<typeof seed.createAccount>;
  inbox: (input: seed.InboxInput) => ReturnType<typeof seed.createInbox>;
  agentBot: (input: seed.AgentBotInput) => ReturnType<typeof seed.createAgentBot>;
  connectAgentBot: (inboxId: number, agentBotId: number | null, status?: 'active' | 'inactive') => void;
  user: (input: seed.UserInput) => ReturnType<typeof seed.createUser>;
  team: (input: { accountId: number; name: string }) => ReturnType<typeof seed.createTeam>;
  accountWebhook: (
    input: Parameters<typeof seed.createAccountWebhook>[1],
  ) => ReturnType<typeof seed.createAccountWebhook>;
}

/** Start a Chatwoot v4.15 stand-in: in-process state, signed webhooks and (unless port is false) the HTTP API. */
export async function createChatwootSimulator(options: SimulatorOptions = {}): Promise<ChatwootSimulator> {
  const behaviour: SimulatorBehaviour = { ...DEFAULT_BEHAVIOUR, ...options.behaviour };
  const listeners: ((event: SimulatorEvent) => void)[] = [];
  let pendingJobs = 0;
  let jobWaiters: (() => void)[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  const clock = createClock(options.clock);
  const store = (options.dataDir ? loadStore(options.dataDir, clock) : null) ?? createStore();
  const persistence: StorePersistence | null = options.dataDir
    ? persistStore(options.dataDir, store, clock)
    : null;
  const changed = (): void => persistence?.markDirty();
  const context: SimulatorContext = {
    store,
    clock: persistence ? persistedClock(clock, changed) : clock,
    behaviour,
    recorder: createRecorder(() => behaviour.recorderLimit),
    frontendUrl: options.frontendUrl ?? '',
    dispatch(event) {
      changed();
      for (const listener of listeners) listener(event);
    },
    enqueueJob(name, delayMs, work) {
      if (closed) return;
      pendingJobs += 1;
      const timer = setTimeout(() => {
        timers.delete(timer);
        Promise.resolve()
          .then(work)
          .catch((error: unknown) => console.error(`simulator job ${name} failed`, error))
          .finally(() => {
            changed();
            pendingJobs -= 1;
            if (pendingJobs === 0) {
              const waiters = jobWaiters;
              jobWaiters = [];
              for (const waiter of waiters) waiter();
            }
          });
      }, delayMs);
      timers.add(timer);
    },
  };
  const delivery = createWebhookDelivery(context, {
    onAgentBotFailure: (record) => handleAgentBotFailure(context, record),
  });
  listeners.push(createAgentBotListener(context, delivery), createAccountWebhookListener(context, delivery));

  let app: FastifyInstance | null = null;
  const apiRoutes: { method: string; url: string }[] = [];
  let url = '';
  const simulatorRef: { current?: ChatwootSimulator } = {};
  if (options.port !== false) {
    app = createSimulatorServer(
      context,
      (instance) => registerControlRoutes(instance, () => simulatorRef.current!),
      (route) => apiRoutes.push(route),
    );
    // Admin and API calls that change rows without an event (a new inbox, a bot's URL) are saved too.
    if (persistence)
      app.addHook('onResponse', async (request) => {
        if (request.method !== 'GET' && request.method !== 'HEAD') changed();
      });
    const host = options.host ?? '127.0.0.1';
    await app.listen({ port: options.port ?? 0, host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
    if (!options.frontendUrl) context.frontendUrl = url;
  }

  const resolve = (ref: ConversationRef): ConversationRecord => {
    const conversation =
      'displayId' in ref && !('contactInboxId' in ref)
        ? findConversation(context.store, ref.accountId, ref.displayId)
        : (ref as ConversationRecord);
    if (!conversation) throw new Error(`simulator: no conversation ${JSON.stringify(ref)}`);
    return conversation;
  };
  const matches = (record: WebhookRecord, match: WebhookMatch): boolean =>
    (match.event === undefined || record.event === match.event) &&
    (match.kind === undefined || record.kind === match.kind) &&
    (match.targetId === undefined || record.targetId === match.targetId) &&
    (match.outcome === undefined ? record.outcome !== 'pending' : record.outcome === match.outcome) &&
    (match.where === undefined || match.where(record));

  const afterChange = <T>(value: T): T => {
    changed();
    return value;
  };
  const jobsIdle = (): Promise<void> =>
    pendingJobs === 0 ? Promise.resolve() : new Promise((done) => jobWaiters.push(done));

  const simulator: ChatwootSimulator = {
    get url() {
      return url;
    },
    store: context.store,
    clock: context.clock,
    recorder: context.recorder,
    behaviour,
    context,
    seed: {
      account: (input) => afterChange(seed.createAccount(context, input)),
      inbox: (input) => afterChange(seed.createInbox(context, input)),
      agentBot: (input) => afterChange(seed.createAgentBot(context, input)),
      connectAgentBot: (inboxId, agentBotId, status) =>
        afterChange(seed.connectAgentBot(context, inboxId, agentBotId, status)),
      user: (input) => afterChange(seed.createUser(context, input)),
      team: (input) => afterChange(seed.createTeam(context, input)),
      accountWebhook: (input) => afterChange(seed.createAccountWebhook(context, input)),
    },
    save: () => persistence?.flush(),
    customer: createCustomerTools(context),
    widget: createWidgetTools(context),
    agent: createAgentTools(context, resolve),
    runScheduledJobs: () => ({ reopenedSnoozed: reopenSnoozedConversations(context) }),
    transcribe(messageId, text) {
      const message = context.store.messages.get(messageId);
      const audio = message?.attachmentIds
        .map((id) => context.store.attachments.get(id))
        .find((attachment) => attachment?.fileType === 'audio');
      if (!message || !audio) throw new Error(`simulator: message ${messageId} has no audio attachment`);
      audio.transcribedText = text;
      updateMessage(context, message, {});
    },
    receipt: (messageId, status, error) => applyStatusReceipt(context, messageId, status, error),
    conversation: resolve,
    messages: (ref) => messagesOf(context.store, resolve(ref).id),
    webhooks: (match = {}) =>
      context.recorder.webhooks.filter((record) => matches(record, { outcome: record.outcome, ...match })),
    onEvent(listener) {
      listeners.push(listener);
      return () => {
        const index = listeners.indexOf(listener);
        if (index >= 0) listeners.splice(index, 1);
      };
    },
    waitFor: (probe, waitOptions) => waitFor(context.recorder, probe, waitOptions),
    waitForWebhook: (match, waitOptions) =>
      waitFor(context.recorder, () => context.recorder.webhooks.find((record) => matches(record, match)), {
        description: `webhook ${JSON.stringify({ ...match, where: match.where ? '<fn>' : undefined })}`,
        ...waitOptions,
      }),
    async waitForIdle(waitOptions) {
      const timeoutMs = waitOptions?.timeoutMs ?? 10_000;
      const deadline = Date.now() + timeoutMs;
      // Jobs enqueue deliveries and deliveries' failures enqueue events: loop until both are quiet.
      for (;;) {
        await Promise.race([
          Promise.all([jobsIdle(), delivery.idle()]),
          new Promise((_, reject) =>
            setTimeout(
              () => reject(new Error(`waitForIdle timed out after ${timeoutMs} ms`)),
              Math.max(1, deadline - Date.now()),
            ).unref(),
          ),
        ]);
        await new Promise((done) => setImmediate(done));
        if (pendingJobs === 0 && delivery.pendingCount() === 0) return;
      }
    },
    registeredApiRoutes: () => [...apiRoutes],
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      delivery.stop();
      if (app) await app.close();
      persistence?.close();
    },
  };
  simulatorRef.current = simulator;
  return simulator;
}

/** The clock as the context sees it: moving it is a change worth saving (the offset is persisted). */
function persistedClock(clock: SimulatorClock, changed: () => void): SimulatorClock {
  return {
    get frozen() {
      return clock.frozen;
    },
    now: () => clock.now(),
    nowMs: () => clock.nowMs(),
    advance(ms) {
      clock.advance(ms);
      changed();
    },
    set(instant) {
      clock.set(instant);
      changed();
    },
  };
}
