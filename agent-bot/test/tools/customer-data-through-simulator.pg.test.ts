import { describe, expect, it } from 'vitest';
import { assistantSchema } from '@switchboard/core/config/assistants';
import { toolsSchema } from '@switchboard/core/config/tools';
import { createCollectCustomerDataTool } from '../../src/tools/customer-data/collect-customer-data-tool.js';
import type { TurnContext } from '../../src/responder/responder.js';
import { botMessages, harnessPerTest } from '../harness.js';

/**
 * Issue 21, phone and data validation, through the simulator: the real collect_customer_data tool
 * runs on the engine's turn (its ConversationActions write to the simulated Chatwoot contact). A
 * +44 customer of a Brazilian-Portuguese assistant types a UK national number.
 */
const startTestHarness = harnessPerTest();

const fields = toolsSchema.parse({
  customerData: {
    helper: [
      { key: 'mobile', type: 'phone', description: 'Mobile number for the courier' },
      { key: 'email', type: 'email', description: 'E-mail' },
      { key: 'birthday', type: 'date', description: 'Birthday' },
    ],
  },
}).customerData;
const assistant = assistantSchema.parse({ name: 'Helper', systemPrompt: 'Be helpful.', language: 'pt-BR' });

describe('collect_customer_data through the simulator', () => {
  it('"07911 123456" from a +44 customer is saved as +447911123456; stillMissing names exactly the rest', async () => {
    const h = await startTestHarness({ assistant: { language: 'pt-BR' } });
    const tool = createCollectCustomerDataTool({ fieldsByAssistant: fields });
    // The model would pass what the customer wrote; this one passes the number as typed.
    h.responder.setScript(async (context: TurnContext) => {
      const typed = /(\d[\d ]+\d)/.exec(context.pending.at(-1)!.text)![1]!;
      const result = await tool.execute(tool.parameters.parse({ mobile: typed }), {
        turn: context,
        assistant,
        signal: context.signal,
        requestHandoff: () => undefined,
        emit: () => undefined,
      });
      return { messages: [{ kind: 'text', text: JSON.stringify(result) }] };
    });
    const sent = h.sim.customer.sendText(
      { inboxId: h.inboxId, phone: '+447700900123', name: 'Tom' },
      'my mobile is 07911 123456',
    );
    const displayId = sent.conversation.displayId;
    await h.sim.waitFor(() => botMessages(h, displayId).some((m) => !m.private), { timeoutMs: 15_000 });
    const reply = JSON.parse(botMessages(h, displayId).find((m) => !m.private)!.content!) as unknown;
    expect(reply).toEqual({ saved: { mobile: '+447911123456' }, stillMissing: ['email', 'birthday'] });
    expect(h.sim.store.contacts.get(sent.contact.id)!.customAttributes).toMatchObject({
      mobile: '+447911123456',
    });
  });
});
