import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '@switchboard/core';

/**
 * docker-compose.yml read the way `docker compose config` would (no Docker daemon runs here):
 * YAML with merge keys, then `${VAR}` interpolation against an environment.
 */
export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  entrypoint?: string[] | string;
  user?: string;
  profiles?: string[];
  environment?: Record<string, string | number>;
  volumes?: string[];
  tmpfs?: string[] | string;
  ports?: string[];
  depends_on?: Record<string, { condition?: string }>;
  healthcheck?: { test: string[] };
  networks?: string[] | Record<string, { aliases?: string[] } | null>;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
}

export const COMPOSE_FILE = path.join(REPO_ROOT, 'docker-compose.yml');

/** `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`; `$$` is a literal `$`. */
export function interpolate(value: string, env: Record<string, string | undefined>): string {
  return value.replace(
    /\$\$|\$\{([A-Z_][A-Z0-9_]*)(?:(:?[-?])([^}]*))?\}/g,
    (whole, name: string | undefined, operator: string | undefined, argument: string | undefined) => {
      if (whole === '$$') return '$';
      const set = env[name!];
      if (operator === ':-') return set ? set : argument!;
      if (operator === '-') return set ?? argument!;
      if (operator === ':?' || operator === '?') {
        if (!set) throw new Error(`${name}: ${argument}`);
        return set;
      }
      return set ?? '';
    },
  );
}

function interpolateTree(node: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof node === 'string') return interpolate(node, env);
  if (Array.isArray(node)) return node.map((item) => interpolateTree(item, env));
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, interpolateTree(value, env)]));
  }
  return node;
}

export function readCompose(env: Record<string, string | undefined>, file = COMPOSE_FILE): ComposeFile {
  const raw = parse(fs.readFileSync(file, 'utf8'), { merge: true }) as Record<string, unknown>;
  // Extension fields (x-*) are anchors only.
  const withoutExtensions = Object.fromEntries(Object.entries(raw).filter(([key]) => !key.startsWith('x-')));
  return interpolateTree(withoutExtensions, env) as ComposeFile;
}

/** `.env.example` as docker compose reads `.env`. */
export function readEnvExample(): Record<string, string> {
  const text = fs.readFileSync(path.join(REPO_ROOT, '.env.example'), 'utf8');
  return Object.fromEntries([...text.matchAll(/^([A-Z_][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
}

/** A filled-in .env: the example's defaults, and a value for every variable it leaves empty. */
export function sampleEnv(): Record<string, string> {
  const env = readEnvExample();
  for (const [name, value] of Object.entries(env))
    if (value === '') env[name] = `sample-${name.toLowerCase()}`;
  env.CHATWOOT_DOMAIN = 'chat.example.com';
  return env;
}

/** Container paths a service can write: named volumes and bind mounts without `:ro`, and tmpfs. */
export function writableMounts(service: ComposeService): string[] {
  const mounts = (service.volumes ?? [])
    .map((volume) => volume.split(':'))
    .filter((parts) => parts[2] !== 'ro')
    .map((parts) => parts[1]!);
  const tmpfs = typeof service.tmpfs === 'string' ? [service.tmpfs] : (service.tmpfs ?? []);
  return [...mounts, ...tmpfs.map((entry) => entry.split(':')[0]!)];
}

export function networkAliases(service: ComposeService): string[] {
  if (!service.networks || Array.isArray(service.networks)) return [];
  return Object.values(service.networks).flatMap((network) => network?.aliases ?? []);
}

/** Services that run the image the Dockerfile builds. */
export function ourServices(compose: ComposeFile): [string, ComposeService][] {
  const built = Object.values(compose.services).find((service) => service.build)?.image;
  return Object.entries(compose.services).filter(
    ([, service]) => service.build !== undefined || (built !== undefined && service.image === built),
  );
}
