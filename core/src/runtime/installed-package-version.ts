import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The version of a package as installed for the module at `fromUrl` (pass `import.meta.url`), for
 * packages that do not export their package.json (e.g. @pydantic/genai-prices, whose bundled
 * price data is identified by its version). Walks up from the resolved entry point to the
 * package's own manifest.
 */
export function installedPackageVersion(name: string, fromUrl: string): string {
  let dir = path.dirname(createRequire(fromUrl).resolve(name));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const parsed = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (parsed.name === name && parsed.version) return parsed.version;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json found for ${name}`);
    dir = parent;
  }
}
