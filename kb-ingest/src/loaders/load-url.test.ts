import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from '../testing/sample-files.js';
import { expandUrl, loadUrl } from './load-url.js';
import { LoadError } from './loaded-source.js';

/** Web pages and sitemaps from a local server on port 0 (nothing outside is reachable here). */
let server: http.Server;
let base: string;
const limits = { maxBytes: 64 * 1024, timeoutMs: 2000 };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const page = /^\/page(\d+)$/.exec(url);
    if (page) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(
        `<html><head><title>Page ${page[1]}</title></head><body><h1>Page ${page[1]}</h1><p>Text of page ${page[1]}.</p></body></html>`,
      );
    }
    if (url === '/sitemap.xml') {
      res.writeHead(200, { 'content-type': 'application/xml' });
      const locs = [1, 2, 3, 4, 5].map((n) => `<url><loc>${base}/page${n}</loc></url>`).join('');
      return res.end(
        `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${locs}<url><loc>https://elsewhere.example/x</loc></url></urlset>`,
      );
    }
    if (url === '/sitemap-index.xml') {
      res.writeHead(200, { 'content-type': 'text/xml' });
      return res.end(
        `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>${base}/sitemap.xml</loc></sitemap></sitemapindex>`,
      );
    }
    if (url === '/guide.pdf') {
      res.writeHead(200, { 'content-type': 'application/pdf' });
      return res.end(makePdf([['Setup guide', 'Plug it in.']]));
    }
    if (url === '/huge') {
      // No Content-Length: the cap must hold while streaming.
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = 'x'.repeat(16 * 1024);
      for (let i = 0; i < 10; i++) res.write(chunk);
      return res.end();
    }
    if (url === '/declared-huge') {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(10 * 1024 * 1024) });
      return res.end('x');
    }
    if (url === '/slow') return void setTimeout(() => res.end('late'), 5000);
    if (url === '/image') {
      res.writeHead(200, { 'content-type': 'image/png' });
      return res.end('PNG');
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const reason = async (promise: Promise<unknown>): Promise<string> => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LoadError);
  return (error as LoadError).reason;
};

describe('URL loader', () => {
  it('loads a web page with the URL as its source', async () => {
    const loaded = await loadUrl(`${base}/page1`, limits);
    expect(loaded).toMatchObject({ source: `${base}/page1`, title: 'Page 1', contentType: 'html' });
    expect(loaded.documents[0]!.pageContent).toContain('Text of page 1.');
  });

  it('loads a PDF by its content type', async () => {
    const loaded = await loadUrl(`${base}/guide.pdf`, limits);
    expect(loaded.contentType).toBe('pdf');
    expect(loaded.documents[0]!.pageContent).toContain('Plug it in.');
  });

  it('expands a sitemap (and a sitemap index) to its pages on the same host, up to the page limit', async () => {
    expect(await expandUrl(`${base}/sitemap.xml`, { ...limits, maxPages: 3 })).toEqual(
      [1, 2, 3].map((n) => `${base}/page${n}`),
    );
    expect(await expandUrl(`${base}/sitemap-index.xml`, { ...limits, maxPages: 50 })).toHaveLength(5);
    expect(await expandUrl(`${base}/page2`, { ...limits, maxPages: 50 })).toEqual([`${base}/page2`]);
  });

  it('fails unreachable, missing, oversized, slow and unsupported URLs with a reason', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await reason(loadUrl(`http://127.0.0.1:${port}/`, limits))).toBe('unreachable (ECONNREFUSED)');
    expect(await reason(loadUrl(`${base}/nope`, limits))).toBe('HTTP 404 Not Found');
    expect(await reason(loadUrl(`${base}/huge`, limits))).toBe('too large (more than 64.0 KB)');
    expect(await reason(loadUrl(`${base}/declared-huge`, limits))).toBe('too large (10.0 MB; limit 64.0 KB)');
    expect(await reason(loadUrl(`${base}/slow`, { ...limits, timeoutMs: 300 }))).toBe(
      'timed out after 300 ms',
    );
    expect(await reason(loadUrl(`${base}/image`, limits))).toBe('unsupported content type image/png');
    expect(await reason(loadUrl('ftp://example.com/file', limits))).toBe('unsupported URL scheme ftp:');
  });
});
