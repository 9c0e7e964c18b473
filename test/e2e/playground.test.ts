import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@switchboard/core';
import { renderTextImage } from '@switchboard/agent-bot/media/testing/render-text-image';
import { launchChromium, startLocalMode, type LocalModeProcess } from './local-mode-process.js';

/**
 * The local playground as a newcomer uses it: `npm start` (local mode, no keys), the printed URL
 * in a real browser (Debian chromium driven by playwright-core), and the walk-through.
 * Screenshots of each step go to test-artifacts/playground/ (not committed).
 */
const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts', 'playground');
let local: LocalModeProcess;
let browser: Browser;
let page: Page;

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

describe('local playground in a browser', () => {
  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    local = await startLocalMode(fs.mkdtempSync(path.join(os.tmpdir(), 'sb-playground-')));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    await page.goto(local.url);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await local?.stop();
  });

  it('answers from the knowledge base, hands off, lets an agent reply, re-engages after 24 h and reads an image', async () => {
    // 1. A question the sample knowledge base answers.
    await page.getByTestId('customer-input').fill('How much is a puncture repair?');
    await page.getByTestId('customer-send').click();
    const answer = page.getByTestId('business-bubble').filter({ hasText: '£12' });
    await answer.first().waitFor({ timeout: 60_000 });
    // The turn details show the retrieved passage the answer came from.
    await expect
      .poll(() => page.getByTestId('turn').first().textContent(), { timeout: 20_000 })
      .toContain('Repairs and servicing');
    await shot('1-answer-from-knowledge');

    // 2. Asking for a human: the conversation opens, with a private note for the agent.
    await page.getByTestId('customer-input').fill('Can I talk to a human, please?');
    await page.getByTestId('customer-send').click();
    await expect
      .poll(() => page.getByTestId('conversation-status').textContent(), { timeout: 30_000 })
      .toBe('open');
    await page.getByTestId('private-note').filter({ hasText: /human/i }).first().waitFor({ timeout: 10_000 });
    await shot('2-handoff');

    // 3. The human agent replies; the customer sees it.
    await page.getByTestId('agent-input').fill('Hi, this is Alex from the workshop. How can I help?');
    await page.getByTestId('agent-send').click();
    await page
      .getByTestId('business-bubble')
      .filter({ hasText: 'Alex from the workshop' })
      .waitFor({ timeout: 10_000 });
    await shot('3-agent-reply');

    // 4. The customer writes again while the human owns the conversation: the bot stays silent.
    await page.getByTestId('customer-input').fill('Are you open on Sunday?');
    await page.getByTestId('customer-send').click();
    await page
      .getByTestId('agent-incoming')
      .filter({ hasText: 'open on Sunday' })
      .waitFor({ timeout: 10_000 });

    // 5. 24 hours later the window has closed: a free-form reply from the agent fails...
    await page.getByTestId('jump-24h').click();
    await page.getByTestId('agent-input').fill('Sorry for the wait!');
    await page.getByTestId('agent-send').click();
    await page
      .getByTestId('business-bubble')
      .filter({ hasText: 'not delivered' })
      .waitFor({ timeout: 15_000 });
    // ...and when the agent hands the conversation back, the bot answers the open question with the
    // approved re-engagement template, the only message WhatsApp still accepts.
    await page.getByTestId('hand-back').click();
    await page.getByTestId('agent-template').first().waitFor({ timeout: 30_000 });
    await shot('4-window-closed-template');

    // 6. A new customer sends a photo of a receipt: OCR reads it, agents see the note.
    await page.getByTestId('new-customer').click();
    const receipt = await renderTextImage([
      'RIVERSIDE BIKES',
      'Receipt 4471',
      'Inner tube 7.00',
      'TOTAL GBP 7.00',
    ]);
    await page
      .getByTestId('customer-file')
      .setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: receipt });
    const note = page.getByTestId('private-note').filter({ hasText: /4471|TOTAL/i });
    await note.first().waitFor({ timeout: 60_000 });
    await shot('5-image-ocr-note');
  }, 240_000);
});
