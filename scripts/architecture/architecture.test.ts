import { describe, expect, it } from 'vitest';
import { findDependencyProblems, type PackageManifest } from './dependencies.js';
import { findFolderCycles, findLayeringViolations } from './folders.js';

describe('folder cycles', () => {
  it('finds a cycle between two folders of src/, naming one import per direction', () => {
    const cycles = findFolderCycles([
      { from: 'src/embedding/create.ts', to: 'src/knowledge-bases/kb.js' },
      { from: 'src/knowledge-bases/create.ts', to: 'src/embedding/create.js' },
      { from: 'src/search/search.ts', to: 'src/embedding/create.js' },
    ]);
    expect(cycles).toEqual([
      [
        '{embedding, knowledge-bases}:',
        'embedding→knowledge-bases (src/embedding/create.ts)',
        'knowledge-bases→embedding (src/knowledge-bases/create.ts)',
      ],
    ]);
  });

  it('ignores the files directly in src/, tests and imports inside one folder', () => {
    expect(
      findFolderCycles([
        { from: 'src/index.ts', to: 'src/a/x.js' },
        { from: 'src/a/x.ts', to: 'src/errors.js' },
        { from: 'src/a/x.test.ts', to: 'src/b/y.js' },
        { from: 'src/b/y.ts', to: 'src/a/x.js' },
        { from: 'src/b/y.ts', to: 'src/b/z.js' },
      ]),
    ).toEqual([]);
  });
});

describe('agent-bot layering', () => {
  it('flags an import of a folder above, transitively, and any import of the engine but the root files', () => {
    const violations = findLayeringViolations([
      { from: 'src/engine/run.ts', to: 'src/store/messages.js' }, // downward: fine
      { from: 'src/store/messages.ts', to: 'src/webhook/route.js' }, // webhook sits above store
      { from: 'src/llm/model.ts', to: 'src/engine/x.js' }, // engine sits above assistant, above llm
      { from: 'src/media/install.ts', to: 'src/engine/context.js' }, // into the engine
      { from: 'src/pricing/p.ts', to: 'src/assistant/loop.js' }, // assistant sits above pricing
      { from: 'src/service.ts', to: 'src/engine/start.js' }, // the service root: fine
    ]);
    expect(violations).toEqual([
      'llm imports engine (engine sits above llm): src/llm/model.ts → src/engine/x.js',
      'media imports engine (only the service root files import the engine): src/media/install.ts → src/engine/context.js',
      'pricing imports assistant (assistant sits above pricing): src/pricing/p.ts → src/assistant/loop.js',
      'store imports webhook (webhook sits above store): src/store/messages.ts → src/webhook/route.js',
    ]);
  });
});

describe('dependencies', () => {
  const root: PackageManifest = {
    name: 'repo',
    workspaces: ['a'],
    scripts: { lint: 'eslint .', start: 'tsx scripts/start.ts' },
    dependencies: { '@x/a': '0.1.0', tsx: '4.0.0' },
    devDependencies: { eslint: '9.0.0', vitest: '4.0.0', '@types/pg': '8.0.0' },
  };
  const a: PackageManifest = {
    name: '@x/a',
    dependencies: {
      zod: '4.6.7',
      'left-over': '1.0.0',
      '@types/cli-progress': '3.0.0',
      'pino-pretty': '^13.0.0',
    },
  };
  const problems = findDependencyProblems({
    root: { dir: '', manifest: root },
    workspaces: [{ dir: 'a', manifest: a }],
    imported: (dir) => new Set(dir === 'a' ? ['zod', 'pg', 'vitest', 'cli-progress'] : ['@x/a']),
    sources: (dir) => (dir === 'a' ? ["transport: { target: 'pino-pretty' }"] : []),
    workspaceNames: new Set(['@x/a']),
  });

  it('reports the undeclared, the unused, types as runtime dependencies and ranges', () => {
    expect(problems).toEqual([
      'a/package.json: imports cli-progress but does not declare it',
      'a/package.json: imports pg but does not declare it',
      'a/package.json: @types/cli-progress is only types: a devDependency, not a dependency',
      'a/package.json: declares left-over but nothing imports it',
      'a/package.json: pino-pretty ^13.0.0 is not an exact version',
    ]);
  });
});
