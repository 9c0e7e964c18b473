import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { StartupError } from '../errors.js';
import { interpolateEnv, type InterpolationProblem } from './interpolate.js';
import { switchboardConfigSchema, type SwitchboardConfig } from './schema.js';

export const DEFAULT_CONFIG_PATH = 'config/switchboard.yaml';

/** Environment variables that override a key of the file (env wins: twelve-factor deploys). */
const ENV_OVERRIDES: ReadonlyArray<[string, string[]]> = [
  ['DATABASE_URL', ['database', 'url']],
  ['CLICKHOUSE_URL', ['clickhouse', 'url']],
  ['CLICKHOUSE_USER', ['clickhouse', 'username']],
  ['CLICKHOUSE_PASSWORD', ['clickhouse', 'password']],
  ['CLICKHOUSE_DATABASE', ['clickhouse', 'database']],
  ['CLICKHOUSE_CLUSTER', ['clickhouse', 'cluster']],
  ['LOG_LEVEL', ['logging', 'level']],
  ['LOG_FORMAT', ['logging', 'format']],
  ['AGENT_BOT_HOST', ['server', 'agentBot', 'host']],
  ['AGENT_BOT_PORT', ['server', 'agentBot', 'port']],
  ['ANALYTICS_HOST', ['server', 'analytics', 'host']],
  ['ANALYTICS_PORT', ['server', 'analytics', 'port']],
  ['ANALYTICS_INGEST_HOST', ['server', 'analyticsIngest', 'host']],
  ['ANALYTICS_INGEST_PORT', ['server', 'analyticsIngest', 'port']],
  ['SIMULATOR_PORT', ['server', 'simulator', 'port']],
  ['LOCAL_POSTGRES_PORT', ['database', 'local', 'port']],
  ['PLAYGROUND_ENABLED', ['playground', 'enabled']],
];

export interface LoadConfigOptions {
  /** Path of the YAML file; default SWITCHBOARD_CONFIG or config/switchboard.yaml. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Already-parsed values used instead of reading a file (tests). */
  values?: unknown;
}

export interface LoadedConfig {
  config: SwitchboardConfig;
  /** The file the configuration came from, or null when none exists. */
  file: string | null;
}

export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const requested = options.file ?? env.SWITCHBOARD_CONFIG;
  const file = requested ?? DEFAULT_CONFIG_PATH;
  let raw: unknown = options.values ?? {};
  let source: string | null = null;

  if (options.values === undefined) {
    if (fs.existsSync(file)) {
      raw = readYaml(file);
      source = file;
    } else if (requested) {
      throw new StartupError(`Configuration file ${file} does not exist.`);
    }
  }

  const problems: InterpolationProblem[] = [];
  const interpolated = interpolateEnv(raw ?? {}, env, problems) as Record<string, unknown>;
  const where = source ?? 'configuration';
  if (problems.length > 0) {
    const lines = problems.map((p) => `${where}: ${p.path}: environment variable ${p.variable} is not set`);
    throw new StartupError(lines.join('\n'));
  }
  applyEnvOverrides(interpolated, env);

  const parsed = switchboardConfigSchema.safeParse(interpolated);
  if (!parsed.success) throw new StartupError(formatConfigIssues(parsed.error, where));
  return { config: resolveDataDirs(parsed.data, env), file: source };
}

function readYaml(file: string): unknown {
  const text = fs.readFileSync(file, 'utf8');
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    const first = document.errors[0]!;
    throw new StartupError(`${file}: invalid YAML: ${first.message.split('\n')[0]}`);
  }
  return document.toJS() ?? {};
}

function applyEnvOverrides(target: Record<string, unknown>, env: NodeJS.ProcessEnv): void {
  for (const [name, keyPath] of ENV_OVERRIDES) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    let node = target;
    for (const key of keyPath.slice(0, -1)) {
      const next = node[key];
      if (next === null || typeof next !== 'object') node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[keyPath.at(-1)!] = value;
  }
}

/** SWITCHBOARD_DATA_DIR moves both embedded stores at once (tests, containers). */
function resolveDataDirs(config: SwitchboardConfig, env: NodeJS.ProcessEnv): SwitchboardConfig {
  const base = env.SWITCHBOARD_DATA_DIR;
  if (!base) return config;
  return {
    ...config,
    database: {
      ...config.database,
      local: { ...config.database.local, dataDir: path.join(base, 'postgres') },
    },
    clickhouse: { ...config.clickhouse, local: { dataDir: path.join(base, 'clickhouse') } },
  };
}

/** One line per problem, each naming the file and the key: `file: a.b.c: what is wrong`. */
export function formatConfigIssues(error: z.ZodError, where: string): string {
  return error.issues
    .map((issue) => {
      const key = issue.path.map(String).join('.') || '(top level)';
      if (issue.code === 'unrecognized_keys') {
        const names = issue.keys.map((k) => `"${k}"`).join(', ');
        return `${where}: ${key}: unknown key${issue.keys.length > 1 ? 's' : ''} ${names}`;
      }
      return `${where}: ${key}: ${issue.message}`;
    })
    .join('\n');
}
