import { switchboardConfigSchema, type SwitchboardConfig } from '@switchboard/core';
import type { Responder, TurnContext, TurnReply } from '@switchboard/agent-bot';
import { createChatwootSimulator, type ChatwootSimulator } from '@switchboard/simulator';

/**
 * Engine settings for the scale-out runs: quick polls, but production's lane lease and echo wait.
 * Nothing crashes here, and on two loaded cores a turn can outlast a test-sized lease (2 s): the
 * sweeper then hands the lane to another process while the first is still replying.
 */
export const SCALE_TUNING = {
  pollIntervalMs: 100,
  newMessagePollMs: 100,
  maintenanceIntervalSeconds: 5,
};

/** Answers "re: <every pending text joined by ' | '>", so a test sees which burst a reply merged. */
export class EchoResponder implements Responder {
  calls = 0;
  async respond(context: TurnContext): Promise<TurnReply> {
    this.calls += 1;
    return { messages: [{ kind: 'text', text: `re: ${context.pending.map((m) => m.text).join(' | ')}` }] };
  }
}

export interface ScaleHarness {
  sim: ChatwootSimulator;
  config: SwitchboardConfig;
  accountId: number;
  inboxId: number;
  /** Point the simulator's agent bot at a URL (one agent-bot, or a balancer in front of several). */
  connect(url: string): void;
  /** Texts the bot (not a human) posted to a conversation, in order. */
  botReplies(displayId: number): string[];
  close(): Promise<void>;
}

/** The Chatwoot simulator seeded with one WhatsApp inbox and the agent-bot config that serves it. */
export async function startScaleHarness(): Promise<ScaleHarness> {
  // The agent-bots listen on loopback, as in local mode: Chatwoot's SAFE_FETCH_ALLOW_PRIVATE_NETWORK.
  const sim = await createChatwootSimulator({
    behaviour: { webhookRetryDelayMs: 50, blockPrivateNetwork: false },
  });
  const account = sim.seed.account({ name: 'Scale' });
  const inbox = sim.seed.inbox({ accountId: account.id, channel: 'whatsapp' });
  const bot = sim.seed.agentBot({ accountId: account.id, outgoingUrl: 'http://127.0.0.1:9/unset' });
  sim.seed.connectAgentBot(inbox.id, bot.id);
  const agent = sim.seed.user({ accountId: account.id, name: 'Ana' });
  const config = switchboardConfigSchema.parse({
    logging: { level: 'warn', format: 'json' },
    chatwoot: {
      accounts: [
        {
          id: account.id,
          baseUrl: sim.url,
          bot: { id: bot.id, accessToken: bot.accessToken, webhookSecret: bot.secret },
          userAccessToken: agent.accessToken,
          inboxes: [{ id: inbox.id, assistant: 'helper', channel: 'whatsapp' }],
        },
      ],
      requestTimeoutMs: 5000,
      maxRetries: 2,
    },
    assistants: {
      helper: {
        name: 'Helper',
        systemPrompt: 'Be helpful.',
        // Wide enough that a burst's three webhooks, sent at once, still arrive within it when a
        // loaded two-core machine delays one of them (a later message is a new burst by design).
        conversation: { burstQuietMs: 1500, burstMaxWaitMs: 6000 },
      },
    },
  });
  return {
    sim,
    config,
    accountId: account.id,
    inboxId: inbox.id,
    connect(url) {
      sim.store.agentBots.get(bot.id)!.outgoingUrl = `${url}/webhooks/chatwoot`;
    },
    botReplies(displayId) {
      return sim
        .messages({ accountId: account.id, displayId })
        .filter((m) => m.messageType === 'outgoing' && m.senderType === 'AgentBot')
        .map((m) => m.content ?? '');
    },
    close: () => sim.close(),
  };
}
