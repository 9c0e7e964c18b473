import { switchboardConfigSchema, type SwitchboardConfig } from '@switchboard/core';
import type { Responder, TurnContext, TurnReply } from '@switchboard/agent-bot';
import { createChatwootSimulator, type ChatwootSimulator } from '@switchboard/simulator';

/** Fast engine settings for the scale-out tests: short lease, quick sweeps and echo wait. */
export const SCALE_TUNING = {
  laneLeaseMs: 2000,
  sweepIntervalMs: 500,
  pollIntervalMs: 100,
  maintenanceIntervalSeconds: 1,
  echoWaitMs: 300,
  newMessagePollMs: 100,
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
  const sim = await createChatwootSimulator({ behaviour: { webhookRetryDelayMs: 50 } });
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
        conversation: { burstQuietMs: 300, burstMaxWaitMs: 3000 },
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
