import fs from 'node:fs';

/**
 * The deployment's `.env` (docker compose reads it): secrets live here, never in the YAML.
 * Values are replaced in place, keeping comments and order; missing keys are appended.
 */
export interface EnvFile {
  readonly path: string;
  get(name: string): string | undefined;
  /** The text with `values` applied (unchanged keys keep their line). */
  render(values: Record<string, string>): string;
  readonly text: string;
}

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/;

function unquote(raw: string): string {
  const value = raw.trim();
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0]!))
    return value.slice(1, -1);
  return value.replace(/\s+#.*$/, '');
}

export function readEnvFile(path: string): EnvFile {
  const text = fs.existsSync(path) ? fs.readFileSync(path, 'utf8') : '';
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = LINE.exec(line);
    if (match) values.set(match[1]!, unquote(match[2]!));
  }
  return {
    path,
    text,
    get: (name) => values.get(name),
    render(updates) {
      const pending = new Map(Object.entries(updates).filter(([name, value]) => values.get(name) !== value));
      if (pending.size === 0) return text;
      const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
      const out = lines.map((line) => {
        const match = LINE.exec(line);
        if (!match || !pending.has(match[1]!)) return line;
        const value = pending.get(match[1]!)!;
        pending.delete(match[1]!);
        return `${match[1]}=${value}`;
      });
      if (pending.size > 0) {
        out.push('# Written by switchboard-connect (npm run connect-chatwoot)');
        for (const [name, value] of pending) out.push(`${name}=${value}`);
      }
      return out.join('\n') + '\n';
    },
  };
}

/** Secrets: owner-only permissions when the file is created. */
export function writeEnvFile(path: string, text: string): void {
  fs.writeFileSync(path, text, { mode: 0o600 });
}
