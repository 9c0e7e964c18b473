import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDocx, makePdf } from '../testing/sample-files.js';
import { loadFile } from './load-file.js';
import { LoadError } from './loaded-source.js';

const MB = 1024 * 1024;
let dir: string;
const write = (name: string, content: string | Buffer): string => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};
const failure = async (promise: Promise<unknown>): Promise<string> => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LoadError);
  return (error as LoadError).reason;
};

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-loaders-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('loaders on real files', () => {
  it('reads a PDF page by page, with its title from the Info dictionary', async () => {
    const file = write(
      'warranty.pdf',
      makePdf(
        [
          ['Warranty terms', 'Appliances have a two-year warranty.'],
          ['Furniture has a five-year warranty (structural defects).'],
        ],
        'Acme Warranty',
      ),
    );
    const loaded = await loadFile(file, 'warranty.pdf', { maxBytes: MB });
    expect(loaded.contentType).toBe('pdf');
    expect(loaded.title).toBe('Acme Warranty');
    expect(loaded.documents).toHaveLength(2);
    expect(loaded.documents[0]!.pageContent).toContain('two-year warranty');
    expect(loaded.documents[1]!.pageContent).toContain('five-year warranty (structural defects)');
    expect(loaded.documents[1]!.metadata.page).toBe(2);
    expect(loaded.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads a DOCX with its headings as markdown headings', async () => {
    const file = write(
      'handbook.docx',
      await makeDocx([
        { heading: 1, text: 'Employee handbook' },
        { text: 'Welcome to Acme.' },
        { heading: 2, text: 'Holidays' },
        { text: 'Everyone gets 25 days of paid holiday & the public holidays.' },
      ]),
    );
    const loaded = await loadFile(file, 'handbook.docx', { maxBytes: MB });
    expect(loaded.contentType).toBe('docx');
    expect(loaded.title).toBe('Employee handbook');
    const text = loaded.documents[0]!.pageContent;
    expect(text).toContain('# Employee handbook');
    expect(text).toContain('## Holidays');
    expect(text).toContain('25 days of paid holiday & the public holidays');
  });

  it('drops scripts, menus and footers from HTML and keeps headings', async () => {
    const file = write(
      'page.html',
      `<html><head><title>Delivery | Acme</title><script>var x = "tracking pixel";</script></head>
       <body><nav><a href="/">Home</a><a href="/shop">Shop</a></nav>
       <main><h1>Delivery</h1><p>We deliver in <b>3 to 5</b> days.</p><ul><li>Standard: 4.99</li><li>Express: 12.90</li></ul></main>
       <footer>© Acme 2026</footer></body></html>`,
    );
    const loaded = await loadFile(file, 'page.html', { maxBytes: MB });
    expect(loaded.title).toBe('Delivery | Acme');
    const text = loaded.documents[0]!.pageContent;
    expect(text).toContain('# Delivery');
    expect(text).toContain('We deliver in 3 to 5 days.');
    expect(text).toContain('- Express: 12.90');
    expect(text).not.toContain('tracking pixel');
    expect(text).not.toContain('Home');
    expect(text).not.toContain('© Acme');
  });

  it('reads Markdown (title from the first heading) and plain text (title from the name)', async () => {
    const md = await loadFile(
      write('faq.md', '\uFEFF# Store FAQ\r\n\r\n## Hours\r\nOpen 9 to 5.\r\n'),
      'faq.md',
      { maxBytes: MB },
    );
    expect(md.title).toBe('Store FAQ');
    expect(md.documents[0]!.pageContent).toBe('# Store FAQ\n\n## Hours\nOpen 9 to 5.');
    const txt = await loadFile(write('opening_hours.txt', 'Open 9 to 5.'), 'opening_hours.txt', {
      maxBytes: MB,
    });
    expect(txt.title).toBe('Opening hours');
  });

  it('makes one document per CSV row, quotes and embedded newlines included', async () => {
    const file = write(
      'prices.csv',
      'sku,name,price,notes\nA1,"Lamp, brass",49.90,"Warm light\nDimmable"\nB2,"Chair ""Oslo""",120.00,\n\n',
    );
    const loaded = await loadFile(file, 'prices.csv', { maxBytes: MB });
    expect(loaded.documents).toHaveLength(2);
    expect(loaded.documents[0]!.pageContent).toBe(
      'sku: A1\nname: Lamp, brass\nprice: 49.90\nnotes: Warm light\nDimmable',
    );
    expect(loaded.documents[1]!.pageContent).toBe('sku: B2\nname: Chair "Oslo"\nprice: 120.00');
    expect(loaded.documents[1]!.metadata).toMatchObject({ row: 2, record: true });
  });

  it('makes one document per JSON record (array, single object and JSON lines)', async () => {
    const array = await loadFile(
      write(
        'faq.json',
        JSON.stringify([
          { q: 'Refunds?', a: '5-7 days' },
          { q: 'Hours?', a: '9-5', tags: ['store'] },
        ]),
      ),
      'faq.json',
      { maxBytes: MB },
    );
    expect(array.documents.map((d) => d.pageContent)).toEqual([
      'q: Refunds?\na: 5-7 days',
      'q: Hours?\na: 9-5\ntags: ["store"]',
    ]);
    const lines = await loadFile(write('faq.jsonl', '{"q":"A"}\n{"q":"B"}\n'), 'faq.jsonl', { maxBytes: MB });
    expect(lines.documents).toHaveLength(2);
  });

  it('fails bad input with a clear reason', async () => {
    expect(
      await failure(
        loadFile(write('broken.pdf', '%PDF-1.4\nthis is not a pdf at all'), 'broken.pdf', { maxBytes: MB }),
      ),
    ).toMatch(/corrupt or unreadable PDF/);
    expect(await failure(loadFile(write('fake.pdf', 'hello'), 'fake.pdf', { maxBytes: MB }))).toMatch(
      /not a PDF/,
    );
    expect(await failure(loadFile(write('fake.docx', 'hello'), 'fake.docx', { maxBytes: MB }))).toMatch(
      /not a readable DOCX/,
    );
    expect(await failure(loadFile(write('empty.md', ''), 'empty.md', { maxBytes: MB }))).toBe('empty file');
    expect(await failure(loadFile(write('blank.txt', '  \n\n '), 'blank.txt', { maxBytes: MB }))).toBe(
      'no text found',
    );
    expect(await failure(loadFile(write('image.png', 'PNG'), 'image.png', { maxBytes: MB }))).toMatch(
      /unsupported file type "\.png"/,
    );
    expect(
      await failure(loadFile(write('big.txt', 'x'.repeat(2048)), 'big.txt', { maxBytes: 1024 })),
    ).toMatch(/file too large \(2\.0 KB; limit 1\.0 KB\)/);
    expect(await failure(loadFile(path.join(dir, 'missing.md'), 'missing.md', { maxBytes: MB }))).toMatch(
      /ENOENT/,
    );
    expect(await failure(loadFile(write('bad.json', '{"a": '), 'bad.json', { maxBytes: MB }))).toMatch(
      /invalid JSON/,
    );
    expect(await failure(loadFile(write('scan.pdf', makePdf([[]])), 'scan.pdf', { maxBytes: MB }))).toMatch(
      /no text found \(a scanned PDF/,
    );
  });
});
