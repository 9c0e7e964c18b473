import fs from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { installedPackageVersion } from './installed-package-version.js';

describe('installedPackageVersion', () => {
  it('reads the version of a package that does not export its manifest', () => {
    const require = createRequire(import.meta.url);
    const manifest = require.resolve('zod/package.json');
    const expected = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
    expect(installedPackageVersion('zod', import.meta.url)).toBe(expected);
  });

  it('names the package it cannot resolve', () => {
    expect(() => installedPackageVersion('no-such-package-switchboard', import.meta.url)).toThrow(
      /no-such-package-switchboard/,
    );
  });
});
