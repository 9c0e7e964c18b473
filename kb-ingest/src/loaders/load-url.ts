import { detectContentType } from './detect-content-type.js';
import { fetchUrl, type FetchLimits } from './fetch-url.js';
import { loadContent } from './load-content.js';
import { LoadError, type LoadedSource } from './loaded-source.js';

/** A web page (or PDF, text...) at a URL; the URL is the document's source. */
export async function loadUrl(url: string, limits: FetchLimits): Promise<LoadedSource> {
  const fetched = await fetchUrl(url, limits);
  const contentType = detectContentType(new URL(fetched.url).pathname, fetched.contentType);
  if (!contentType) throw new LoadError(url, `unsupported content type ${fetched.contentType ?? '(none)'}`);
  const fileName =
    new URL(fetched.url).pathname.split('/').filter(Boolean).at(-1) ?? new URL(fetched.url).hostname;
  return loadContent({ source: url, fileName, bytes: fetched.bytes }, contentType);
}

export function looksLikeSitemap(url: string, contentType: string | null, bytes: Buffer): boolean {
  const head = bytes.subarray(0, 2048).toString('utf8');
  return (
    (/xml/.test(contentType ?? '') || /\.xml$/i.test(new URL(url).pathname)) &&
    /<(urlset|sitemapindex)[\s>]/.test(head)
  );
}

/**
 * The page URLs a URL stands for: itself, or, for a sitemap (or sitemap index, one level
 * deep), its <loc> entries up to `maxPages`, same host only so a sitemap cannot send the
 * crawler elsewhere.
 */
export async function expandUrl(url: string, limits: FetchLimits & { maxPages: number }): Promise<string[]> {
  if (!/\.xml($|\?)/i.test(url) && !/sitemap/i.test(url)) return [url];
  const fetched = await fetchUrl(url, limits);
  if (!looksLikeSitemap(fetched.url, fetched.contentType, fetched.bytes)) return [url];
  const host = new URL(fetched.url).host;
  const pages: string[] = [];
  const visit = async (xml: string, depth: number): Promise<void> => {
    const cheerio = await import('cheerio');
    const $ = cheerio.load(xml, { xml: true });
    const isIndex = $('sitemapindex').length > 0;
    const locs = $('loc')
      .map((_, el) => $(el).text().trim())
      .get()
      .filter((loc) => {
        try {
          return new URL(loc).host === host;
        } catch {
          return false;
        }
      });
    for (const loc of locs) {
      if (pages.length >= limits.maxPages) return;
      if (isIndex && depth === 0) {
        const nested = await fetchUrl(loc, limits);
        await visit(nested.bytes.toString('utf8'), depth + 1);
      } else if (!isIndex && !pages.includes(loc)) pages.push(loc);
    }
  };
  await visit(fetched.bytes.toString('utf8'), 0);
  if (pages.length === 0) throw new LoadError(url, 'sitemap lists no pages on its own host');
  return pages;
}
