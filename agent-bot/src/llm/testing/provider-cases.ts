/**
 * One tool-using exchange per provider, from the fixture bodies in each provider's __fixtures__:
 * a tool call, then the final text, with the cost of each call worked out by hand (USD per
 * million tokens × tokens, from genai-prices 0.1.8). Shared by the responder test and the
 * through-the-simulator test, so both check the same table.
 */
export interface ProviderCase {
  provider: 'openai' | 'anthropic' | 'gemini';
  model: string;
  host: string;
  path: string;
  fixtures: [string, string];
  costs: [string, string];
  answer: RegExp;
}

export const PROVIDER_CASES: ProviderCase[] = [
  {
    provider: 'openai',
    model: 'gpt-4o-mini',
    host: 'https://api.openai.com',
    path: '/v1/chat/completions',
    fixtures: ['openai-tool-calls.json', 'openai-text.json'],
    // 412×0.15 + 58×0.6 = 96.6; 86×0.15 + 1920×0.075 + 300×0.6 = 336.9 (per million)
    costs: ['0.0000966', '0.0003369'],
    answer: /Saturday from 10:00 to 14:00/,
  },
  {
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    host: 'https://api.anthropic.com',
    path: '/v1/messages',
    fixtures: ['anthropic-tool-use.json', 'anthropic-text.json'],
    // 980×3 + 121×15 = 4755; 210×3 + 3000×0.3 + 1500×3.75 + 96×15 = 8595 (per million)
    costs: ['0.004755', '0.008595'],
    answer: /Porto/,
  },
  {
    provider: 'gemini',
    model: 'gemini-2.5-flash',
    host: 'https://generativelanguage.googleapis.com',
    path: '/v1beta/models/gemini-2.5-flash:generateContent',
    fixtures: ['gemini-function-calls.json', 'gemini-text.json'],
    // 640×0.3 + 162×2.5 = 597; 1104×0.3 + 4096×0.03 + 580×2.5 = 1904.08 (per million)
    costs: ['0.000597', '0.00190408'],
    answer: /Lisboa/,
  },
];
