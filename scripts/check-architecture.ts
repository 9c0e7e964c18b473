import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { findDependencyProblems, type PackageManifest } from './architecture/dependencies.js';
import { findFolderCycles, findLayeringViolations, type ImportEdge } from './architecture/folders.js';

/**
 * `npm run lint` (and so CI) fails when the code leaves its intended shape:
 * - an import cycle between the top-level folders of a workspace's src/;
 * - an agent-bot folder importing a folder above it (ARCHITECTURE.md's layering);
 * - a relative import that leaves its workspace (use the package and its `exports`);
 * - a package imported but not declared in the workspace's package.json, or declared and never used.
 * Packages in the root package.json's devDependencies (and tsx) are the shared toolchain: any
 * workspace may import them (vitest, nock, ...).
 */
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;

interface Workspace {
  dir: string; // relative to ROOT; '' for the root package (scripts and config files)
  manifest: PackageManifest;
}

function readManifest(dir: string): PackageManifest {
  return JSON.parse(fs.readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8')) as PackageManifest;
}

function listFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return out
    .split('\n')
    .filter((file) => SOURCE.test(file) && !file.endsWith('.d.ts'))
    .filter((file) => fs.existsSync(path.join(ROOT, file)));
}

const rootManifest = readManifest('');
const workspaces: Workspace[] = (rootManifest.workspaces ?? []).map((dir) => ({
  dir,
  manifest: readManifest(dir),
}));
const rootPackage: Workspace = { dir: '', manifest: rootManifest };
const workspaceNames = new Set(workspaces.map((w) => w.manifest.name));

function workspaceOf(file: string): Workspace {
  return workspaces.find((w) => file === w.dir || file.startsWith(`${w.dir}/`)) ?? rootPackage;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

const problems: string[] = [];
const imported = new Map<Workspace, Set<string>>();
const sources = new Map<Workspace, string[]>();
const edges = new Map<Workspace, ImportEdge[]>();

for (const file of listFiles()) {
  const workspace = workspaceOf(file);
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  sources.set(workspace, [...(sources.get(workspace) ?? []), text]);
  const info = ts.preProcessFile(text, true, true);
  for (const { fileName: specifier } of info.importedFiles) {
    if (specifier.startsWith('.')) {
      const target = path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), specifier));
      const targetWorkspace = workspaceOf(target);
      if (targetWorkspace !== workspace || target.startsWith('..')) {
        problems.push(
          `${file}: relative import '${specifier}' leaves its workspace; import the package ` +
            `(${targetWorkspace.manifest.name}) through its exports`,
        );
        continue;
      }
      if (workspace.dir) {
        const list = edges.get(workspace) ?? [];
        list.push({ from: path.relative(workspace.dir, file), to: path.relative(workspace.dir, target) });
        edges.set(workspace, list);
      }
      continue;
    }
    if (isBuiltin(specifier) || specifier.startsWith('node:')) continue;
    const set = imported.get(workspace) ?? new Set<string>();
    set.add(packageName(specifier));
    imported.set(workspace, set);
  }
}

problems.push(
  ...findDependencyProblems({
    root: { dir: '', manifest: rootManifest },
    workspaces,
    imported: (dir) => imported.get(workspaceByDir(dir)) ?? new Set(),
    sources: (dir) => sources.get(workspaceByDir(dir)) ?? [],
    workspaceNames,
  }),
);

function workspaceByDir(dir: string): Workspace {
  return dir === '' ? rootPackage : (workspaces.find((w) => w.dir === dir) ?? rootPackage);
}

/**
 * Workspaces whose folder structure is reported (printed) but does not fail the check yet, and why.
 * Remove an entry as soon as its workspace passes, so the rule holds from then on.
 */
const STRUCTURE_REPORTED_ONLY: Readonly<Record<string, string>> = {};
const reported: string[] = [];

for (const workspace of workspaces) {
  const list = edges.get(workspace) ?? [];
  const found = findFolderCycles(list).map((cycle) => `import cycle between folders ${cycle.join(' ')}`);
  if (workspace.dir === 'agent-bot') found.push(...findLayeringViolations(list));
  const target = workspace.dir in STRUCTURE_REPORTED_ONLY ? reported : problems;
  target.push(...found.map((line) => `${workspace.dir}: ${line}`));
}

if (reported.length > 0) {
  console.warn(
    `architecture check, reported but not enforced (${Object.entries(STRUCTURE_REPORTED_ONLY)
      .map(([dir, why]) => `${dir}: ${why}`)
      .join('; ')}):\n${reported.map((p) => `  ${p}`).join('\n')}`,
  );
}

if (problems.length > 0) {
  console.error(
    `architecture check: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}`,
  );
  process.exit(1);
}
console.log(
  `architecture check: ${workspaces.length} workspaces: dependencies declared exactly, no relative import ` +
    `across workspaces, folder structure kept${reported.length > 0 ? ` (${reported.length} reported above)` : ''}`,
);
