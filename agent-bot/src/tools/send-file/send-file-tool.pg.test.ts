import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { toolsSchema } from '@switchboard/core/config/tools';
import { fakeConversation, runScriptedTools, testTurn } from '../../assistant/testing/tool-test-kit.js';
import { takeQueuedReplies } from './reply-queue.js';
import { createSendFileTool } from './send-file-tool.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 1)]);
let db: TestDatabase;
let server: http.Server;
let base: string;
let root: string;

beforeAll(async () => {
  db = await createTestDatabase();
  server = http.createServer((request, response) => {
    if (request.url === '/brochure.pdf') response.end(PDF);
    else if (request.url === '/fake.pdf') {
      response.setHeader('content-type', 'application/pdf');
      response.end(EXE);
    } else if (request.url === '/big.pdf') response.end(Buffer.concat([PDF, Buffer.alloc(4096)]));
    else {
      response.statusCode = 500;
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'sb-files-'));
  await fs.writeFile(path.join(root, 'prices.csv'), 'item,price\ncut,30\n');
  const kb = await db.pool.query(
    `INSERT INTO kb_knowledge_bases (account_id, name, embedding_provider, embedding_model, dimensions) VALUES (1, 'salon', 'offline', 'offline', 8) RETURNING id`,
  );
  for (const source of ['prices.csv', '../../etc/passwd']) {
    await db.pool.query(
      `INSERT INTO kb_documents (knowledge_base_id, account_id, source, title, content_type, checksum, fingerprint) VALUES ($1, 1, $2, 'Price list', 'text/csv', 'x', 'y')`,
      [kb.rows[0].id, source],
    );
  }
});

afterAll(async () => {
  await db?.drop();
  await new Promise((resolve) => server?.close(resolve));
  await fs.rm(root, { recursive: true, force: true });
});

function config() {
  return toolsSchema.parse({
    files: {
      brochure: {
        description: 'Salon brochure',
        url: `${base}/brochure.pdf`,
        fileName: 'Brochure.pdf',
        caption: 'Our brochure',
      },
      fake: { description: 'A file that lies about its type', url: `${base}/fake.pdf`, fileName: 'fake.pdf' },
      big: { description: 'Too big', url: `${base}/big.pdf`, fileName: 'big.pdf' },
      down: { description: 'Server error', url: `${base}/missing.pdf`, fileName: 'x.pdf' },
      prices: {
        description: 'Price list',
        knowledgeDocument: { knowledgeBase: 'salon', source: 'prices.csv', root },
        fileName: 'prices.csv',
      },
      escape: {
        description: 'Outside the root',
        knowledgeDocument: { knowledgeBase: 'salon', source: '../../etc/passwd', root },
        fileName: 'passwd.txt',
      },
      gone: {
        description: 'Deleted document',
        knowledgeDocument: { knowledgeBase: 'salon', source: 'old.pdf', root },
        fileName: 'old.pdf',
      },
      staff: {
        description: 'Staff only',
        url: `${base}/brochure.pdf`,
        fileName: 'staff.pdf',
        assistants: ['internal'],
      },
    },
    fileLimits: { maxBytes: 1024 },
  });
}

describe('send_file', () => {
  it('sends a URL file and a knowledge-base document, one attachment per message, in call order', async () => {
    const tools = config();
    const tool = createSendFileTool({ files: tools.files, limits: tools.fileLimits, pool: db.pool });
    const turn = testTurn(fakeConversation());
    const { results } = await runScriptedTools(
      [tool],
      [
        [{ name: 'send_file', arguments: { file: 'brochure' } }],
        [{ name: 'send_file', arguments: { file: 'prices', caption: 'Prices 2026' } }],
      ],
      turn,
    );
    expect(results).toEqual([
      { sent: true, fileName: 'Brochure.pdf', sizeKb: 1 },
      { sent: true, fileName: 'prices.csv', sizeKb: 1 },
    ]);
    const replies = takeQueuedReplies(turn);
    expect(replies).toEqual([
      {
        kind: 'file',
        caption: 'Our brochure',
        fileName: 'Brochure.pdf',
        contentType: 'application/pdf',
        data: new Uint8Array(PDF),
      },
      {
        kind: 'file',
        caption: 'Prices 2026',
        fileName: 'prices.csv',
        contentType: 'text/csv',
        data: new Uint8Array(Buffer.from('item,price\ncut,30\n')),
      },
    ]);
    expect(takeQueuedReplies(turn)).toEqual([]);
  });

  it.each([
    ['fake', 'This type of file (application/x-msdownload) may not be sent.'],
    ['big', 'The file is too large to send.'],
    ['down', 'The file could not be fetched (HTTP 500).'],
    ['escape', 'The document path is not allowed.'],
    ['gone', 'That document is no longer in the knowledge base.'],
    ['staff', 'No file "staff" is available to send.'],
  ])('refuses %s before anything is uploaded', async (file, error) => {
    const tools = config();
    const tool = createSendFileTool({ files: tools.files, limits: tools.fileLimits, pool: db.pool });
    const turn = testTurn(fakeConversation());
    const { results } = await runScriptedTools([tool], [[{ name: 'send_file', arguments: { file } }]], turn);
    expect(results[0]).toEqual({ sent: false, error });
    expect(takeQueuedReplies(turn)).toEqual([]);
  });

  it('offers only configured files to the model', async () => {
    const tools = config();
    const tool = createSendFileTool({ files: tools.files, limits: tools.fileLimits, pool: db.pool });
    const { results } = await runScriptedTools(
      [tool],
      [[{ name: 'send_file', arguments: { file: '/etc/passwd' } }]],
      testTurn(fakeConversation()),
    );
    expect((results[0] as { error: string }).error).toMatch(/Invalid arguments. file/);
  });
});
