import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@switchboard/core';
import { launchChromium, startLocalMode, type LocalModeProcess } from './local-mode-process.js';

/**
 * The playground across Ctrl-C and `npm start` again (issue 16): ids continue, the conversation in
 * progress continues, a new customer gets a new conversation and an answer, and neither the turn
 * panel nor analytics mixes the two up. On the way: a voice note's audio is fetched once, not on
 * every poll, and the website inbox renders the widget's Markdown. Screenshots go to
 * test-artifacts/playground-restart/ (not committed).
 */
const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts', 'playground-restart');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-restart-'));
let local: LocalModeProcess | null = null;
let browser: Browser;
let page: Page;
const blobRequests: string[] = [];

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

async function open(): Promise<void> {
  local = await startLocalMode(dataDir);
  await page.goto(local.url);
  await page.getByTestId('customer-phone').filter({ hasText: /\S/ }).waitFor({ timeout: 20_000 });
}

async function say(text: string): Promise<void> {
  await page.getByTestId('customer-input').fill(text);
  await page.getByTestId('customer-send').click();
}

const text = (testId: string) => page.getByTestId(testId).first().textContent();
const conversationTitle = () => page.locator('#cw-id').textContent();

describe('the playground survives a restart', () => {
  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    page.on('request', (request) => {
      if (request.url().includes('/rails/active_storage/')) blobRequests.push(request.url());
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await local?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('continues the same customer’s conversation, numbers a new one after it, and keeps analytics apart', async () => {
    await open();
    const firstPhone = (await text('customer-phone'))!;
    await say('How much is a puncture repair?');
    await page.getByTestId('business-bubble').filter({ hasText: '£12' }).first().waitFor({ timeout: 60_000 });
    expect(await conversationTitle()).toBe('#1');
    // Durations in human units (it printed "86405165 ms"): a turn head like "replied · 1.2 s · $0".
    await expect.poll(() => text('turn'), { timeout: 20_000 }).toMatch(/^replied · (\d+ ms|\d+(\.\d)? s) · /);

    // A voice note: its <audio> elements (customer and agent panes) load once, then polls leave them alone.
    await page.getByTestId('customer-file').setInputFiles({
      name: 'voice-note.ogg',
      mimeType: 'audio/ogg',
      buffer: Buffer.from('OggS fake voice note'),
    });
    await page.getByTestId('audio').first().waitFor({ timeout: 20_000 });
    await page.waitForTimeout(2_000);
    const afterLoad = blobRequests.length;
    await page.waitForTimeout(5_000); // about 7 polls
    expect(blobRequests.length - afterLoad).toBe(0);
    expect(afterLoad).toBeLessThanOrEqual(4);
    await shot('1-before-restart');
    const bubblesBefore = await page.getByTestId('customer-bubble').count();

    // Ctrl-C, then npm start again on the same data directory.
    expect(await local!.stop()).toBe(0);
    await open();
    expect(await text('customer-phone')).toBe(firstPhone);
    expect(await conversationTitle()).toBe('#1');
    await expect
      .poll(() => page.getByTestId('customer-bubble').count(), { timeout: 10_000 })
      .toBe(bubblesBefore);
    await expect.poll(() => page.getByTestId('turn').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    await shot('2-after-restart-same-customer');

    // The same customer goes on in the same conversation, and gets answered.
    const answersBefore = await page.getByTestId('business-bubble').count();
    await say('When are you open on Saturday?');
    await expect
      .poll(() => page.getByTestId('business-bubble').count(), { timeout: 60_000 })
      .toBeGreaterThan(answersBefore);
    expect(await conversationTitle()).toBe('#1');

    // A new customer: conversation #2 (not #1 again), answered, with only their own turns and analytics.
    await page.getByTestId('new-customer').click();
    await expect.poll(() => text('customer-phone')).not.toBe(firstPhone);
    const secondPhone = (await text('customer-phone'))!;
    await say('How much is a puncture repair?');
    await page.getByTestId('business-bubble').filter({ hasText: '£12' }).first().waitFor({ timeout: 60_000 });
    expect(await conversationTitle()).toBe('#2');
    expect(await page.getByTestId('customer-bubble').count()).toBe(1);
    await expect.poll(() => page.getByTestId('turn').count(), { timeout: 20_000 }).toBe(1);
    await expect
      .poll(() => text('analytics'), { timeout: 30_000 })
      .toContain(`phone …${secondPhone.slice(-4)}`);
    expect(await text('analytics')).toContain('channel test');
    expect(await text('analytics')).toContain('1 customer message');
    await shot('3-new-customer-conversation-2');

    // The website inbox: a new visitor, answered in the widget's Markdown, counted as channel web.
    const website = await page.locator('#assistant option', { hasText: 'Website' }).getAttribute('value');
    await page.getByTestId('assistant').selectOption(website!);
    await expect.poll(() => text('customer-phone')).toMatch(/@example\.com>$/);
    // Opening the widget greets the new visitor (the inbox's greeting in config/switchboard.yaml).
    await page
      .getByTestId('business-bubble')
      .filter({ hasText: 'Ask me about repairs' })
      .waitFor({ timeout: 30_000 });
    await say('How much is a puncture repair?');
    const webAnswer = page.getByTestId('business-bubble').filter({ hasText: '£12' }).first();
    await webAnswer.waitFor({ timeout: 60_000 });
    expect(await conversationTitle()).toBe('#3');
    // **Automatic answer** is bold in the widget, not shown with asterisks.
    expect(await webAnswer.locator('strong').count()).toBeGreaterThan(0);
    expect(await webAnswer.textContent()).not.toContain('**');
    await expect.poll(() => text('analytics'), { timeout: 30_000 }).toContain('channel web');
    await shot('4-website-inbox');
  }, 420_000);
});
