export interface PackageManifest {
  name: string;
  workspaces?: string[];
  scripts?: Record<string, string>;
  bin?: Record<string, string> | string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

export interface DependencyInputs {
  root: { dir: string; manifest: PackageManifest };
  workspaces: readonly { dir: string; manifest: PackageManifest }[];
  /** Package names imported (statically, by string literal) by the files of a package. */
  imported: (dir: string) => ReadonlySet<string>;
  /** The source texts of a package, for packages loaded by name rather than imported. */
  sources: (dir: string) => readonly string[];
  workspaceNames: ReadonlySet<string>;
}

/** Loaded at run time by a computed name, so no literal shows they are used. */
const LOADED_BY_COMPUTED_NAME: Readonly<Record<string, string>> = {
  '@tesseract.js-data/eng': 'OCR language data, required as `@tesseract.js-data/${language}`',
};

/** Declared in the root, used through a command in package.json scripts or a config file, not an import. */
const COMMAND_OF: Readonly<Record<string, string>> = { typescript: 'tsc' };

const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[\w.]+)?$/;

function declaredOf(manifest: PackageManifest): Map<string, { version: string; kind: string }> {
  const out = new Map<string, { version: string; kind: string }>();
  for (const kind of [
    'dependencies',
    'devDependencies',
    'peerDependencies',
    'optionalDependencies',
  ] as const) {
    for (const [name, version] of Object.entries(manifest[kind] ?? {})) out.set(name, { version, kind });
  }
  return out;
}

/** `@types/pg` types `pg`; `@types/scope__name` types `@scope/name`. */
function typedPackage(typesName: string): string {
  const bare = typesName.slice('@types/'.length);
  return bare.includes('__') ? `@${bare.replace('__', '/')}` : bare;
}

function mentioned(name: string, sources: readonly string[]): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const literal = new RegExp(`['"\`]${escaped}(?:['"\`/])`);
  return sources.some((text) => literal.test(text));
}

export function findDependencyProblems(inputs: DependencyInputs): string[] {
  const problems: string[] = [];
  const { root, workspaces, workspaceNames } = inputs;
  const rootDeclared = declaredOf(root.manifest);
  // The shared toolchain: what the root declares that is not a workspace.
  const toolchain = new Set([...rootDeclared.keys()].filter((name) => !workspaceNames.has(name)));
  const importedAnywhere = new Set<string>();
  for (const pkg of [root, ...workspaces])
    for (const name of inputs.imported(pkg.dir)) importedAnywhere.add(name);

  for (const pkg of [root, ...workspaces]) {
    const label = pkg.dir === '' ? 'package.json (root)' : `${pkg.dir}/package.json`;
    const declared = declaredOf(pkg.manifest);
    const imported = inputs.imported(pkg.dir);
    const sources = inputs.sources(pkg.dir);
    const isRoot = pkg.dir === '';
    const commands = Object.values(pkg.manifest.scripts ?? {}).join('\n');

    for (const name of [...imported].sort()) {
      if (name === pkg.manifest.name || declared.has(name)) continue;
      if (!isRoot && toolchain.has(name)) continue;
      problems.push(`${label}: imports ${name} but does not declare it`);
    }

    for (const [name, { version, kind }] of [...declared.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      if (!workspaceNames.has(name) && !EXACT_VERSION.test(version)) {
        problems.push(`${label}: ${name} ${version} is not an exact version`);
      }
      if (name.startsWith('@types/') && kind === 'dependencies') {
        problems.push(`${label}: ${name} is only types: a devDependency, not a dependency`);
      }
      const typed = name.startsWith('@types/') ? typedPackage(name) : null;
      const used =
        imported.has(name) ||
        mentioned(name, sources) ||
        name in LOADED_BY_COMPUTED_NAME ||
        (typed !== null && (typed === 'node' || (isRoot ? importedAnywhere : imported).has(typed))) ||
        (isRoot &&
          (importedAnywhere.has(name) ||
            commands.includes(COMMAND_OF[name] ?? name) ||
            commands.includes(name)));
      if (!used) problems.push(`${label}: declares ${name} but nothing imports it`);
    }
  }
  return problems;
}
