import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const main = path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.ts');
const tsx = path.resolve(path.dirname(main), '../../../node_modules/.bin/tsx');

describe('npm run dashboards -- --check', () => {
  it('exits 0 and reports nothing when the committed files are up to date', () => {
    const output = execFileSync(tsx, [main, '--check'], { encoding: 'utf8' });
    expect(output).toBe('');
  });
});
