import { describe, expect, it } from 'vitest';
import { loadPriceTable } from '../pricing/price-table.js';
import { priceModelUsage } from '../pricing/price-model-usage.js';
import { estimateInputUsage } from './estimate-input-tokens.js';

describe('estimateInputUsage (an aborted call, counted by us)', () => {
  it('counts system, messages, tools and images; priced like provider usage (hand-computed)', async () => {
    const usage = await estimateInputUsage({
      system: 'Be helpful.', // Be | helpful | . = 3
      messages: [
        // Hello = 1, one image = 765
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Hello' },
            { type: 'image', mediaType: 'image/png', data: new Uint8Array(4) },
          ],
        },
      ],
      tools: [
        // knowledge | _search = 2; Search | the | shop | knowledge | base | . = 6; {" type ":" object "} = 5
        {
          name: 'knowledge_search',
          description: 'Search the shop knowledge base.',
          parameters: { type: 'object' },
        },
      ],
    });
    // 3 + 1 + 2 + 6 + 5 = 17 text tokens, 3 × (1 message + 1) = 6 framing, 765 image.
    expect(usage).toMatchObject({ inputTokens: 17 + 6 + 765, imageInputTokens: 765, outputTokens: 0 });
    const priced = priceModelUsage(loadPriceTable(), {
      provider: 'openai',
      model: 'gpt-4o-mini',
      usage,
      at: new Date('2026-12-03T12:00:00Z'),
    });
    // gpt-4o-mini input 0.15 USD per million: 788 × 0.15 = 118.2 µUSD.
    expect(priced.totalUsd).toBe('0.0001182');
  });
});
