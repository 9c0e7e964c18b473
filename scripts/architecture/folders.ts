/** One relative import inside a workspace, both paths relative to the workspace's directory. */
export interface ImportEdge {
  from: string;
  to: string;
}

/** The top-level folder under src/ ('.' for the files directly in src/), or null outside src/ and for tests. */
export function folderOf(file: string): string | null {
  if (!file.startsWith('src/') || /\.(test|bench)\.[cm]?[jt]s$/.test(file)) return null;
  const rest = file.slice('src/'.length).split('/');
  return rest.length === 1 ? '.' : (rest[0] ?? null);
}

interface FolderEdge {
  from: string;
  to: string;
  example: ImportEdge;
}

function folderEdges(edges: readonly ImportEdge[]): FolderEdge[] {
  const out: FolderEdge[] = [];
  for (const edge of edges) {
    const from = folderOf(edge.from);
    const to = folderOf(edge.to.replace(/\.js$/, '.ts'));
    if (from === null || to === null || from === to) continue;
    out.push({ from, to, example: edge });
  }
  return out;
}

/** The files directly in src/ (the barrel, the service root) are no folder: a cycle through them is none. */
const SRC_ROOT = '.';

/** Strongly connected groups of folders (Tarjan), each with one file-level import per folder pair. */
export function findFolderCycles(edges: readonly ImportEdge[]): string[][] {
  const graph = new Map<string, Map<string, ImportEdge>>();
  for (const edge of folderEdges(edges)) {
    if (edge.from === SRC_ROOT || edge.to === SRC_ROOT) continue;
    const targets = graph.get(edge.from) ?? new Map<string, ImportEdge>();
    if (!targets.has(edge.to)) targets.set(edge.to, edge.example);
    graph.set(edge.from, targets);
    if (!graph.has(edge.to)) graph.set(edge.to, new Map());
  }
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node)?.keys() ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return groups.map((group) => {
    const members = new Set(group);
    const links = group.flatMap((from) =>
      [...(graph.get(from) ?? new Map<string, ImportEdge>()).entries()]
        .filter(([to]) => members.has(to))
        .map(([to, example]) => `${from}→${to} (${example.from})`),
    );
    return [`{${group.join(', ')}}:`, ...links];
  });
}

/**
 * ARCHITECTURE.md: inside agent-bot a folder imports only folders below it. The folders each one
 * sits above; a folder importing anything that sits (transitively) above it is a violation, and
 * nothing but the service's root files (src/*.ts) imports the engine.
 */
export const AGENT_BOT_LAYERS: Readonly<Record<string, readonly string[]>> = {
  webhook: ['store'],
  engine: ['policies', 'assistant', 'whatsapp', 'store'],
  assistant: ['tools', 'llm', 'pricing'],
};
const ENGINE = 'engine';

function below(folder: string, seen = new Set<string>()): Set<string> {
  for (const next of AGENT_BOT_LAYERS[folder] ?? []) {
    if (seen.has(next)) continue;
    seen.add(next);
    below(next, seen);
  }
  return seen;
}

export function findLayeringViolations(edges: readonly ImportEdge[]): string[] {
  const found = new Map<string, string>();
  for (const edge of folderEdges(edges)) {
    const upward = below(edge.to).has(edge.from);
    const intoEngine = edge.to === ENGINE && edge.from !== '.';
    if (!upward && !intoEngine) continue;
    const key = `${edge.from} imports ${edge.to}`;
    if (!found.has(key)) {
      const why = upward
        ? `${edge.to} sits above ${edge.from}`
        : 'only the service root files import the engine';
      found.set(key, `${key} (${why}): ${edge.example.from} → ${edge.example.to}`);
    }
  }
  return [...found.values()].sort();
}
