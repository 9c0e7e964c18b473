import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StartupError } from '../errors.js';
import { loadConfig } from './load-config.js';
import { REPO_ROOT } from '../postgres/migrate-postgres.js';

function writeConfig(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-config-'));
  const file = path.join(dir, 'switchboard.yaml');
  fs.writeFileSync(file, text);
  return file;
}

function errorOf(fn: () => unknown): StartupError {
  try {
    fn();
  } catch (error) {
    if (StartupError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a StartupError');
}

describe('loadConfig', () => {
  it('accepts the committed example configuration', () => {
    const { config, file } = loadConfig({ file: path.join(REPO_ROOT, 'config/switchboard.yaml'), env: {} });
    expect(file).toMatch(/switchboard\.yaml$/);
    expect(config.database.url).toBeUndefined();
    expect(config.server.agentBot.port).toBe(3100);
  });

  it('uses defaults when there is no file at the default path', () => {
    const { config, file } = loadConfig({
      file: undefined,
      env: { SWITCHBOARD_CONFIG: undefined },
      values: {},
    });
    expect(file).toBeNull();
    expect(config.database.local.dataDir).toBe('./data/postgres');
    expect(config.clickhouse.database).toBe('switchboard');
  });

  it('names the file and the key of an unknown key', () => {
    const file = writeConfig('server:\n  agentBot: { host: 127.0.0.1, prot: 3100 }\n');
    const error = errorOf(() => loadConfig({ file, env: {} }));
    expect(error.message).toContain(file);
    expect(error.message).toContain('server.agentBot');
    expect(error.message).toContain('"prot"');
  });

  it('names the file and the key of a wrong type', () => {
    const file = writeConfig('database:\n  poolSize: many\n');
    const error = errorOf(() => loadConfig({ file, env: {} }));
    expect(error.message).toMatch(new RegExp(`${file.replaceAll('/', '\\/')}: database\\.poolSize: `));
  });

  it('interpolates ${VAR} and ${VAR:-default} and reports a missing variable by key', () => {
    const file = writeConfig(
      'clickhouse:\n  password: "${CH_PASS}"\n  username: "${CH_USER:-reader}"\n  database: "db_${SUFFIX}"\n',
    );
    const { config } = loadConfig({ file, env: { CH_PASS: 's3cret', SUFFIX: 'x' } });
    expect(config.clickhouse.password).toBe('s3cret');
    expect(config.clickhouse.username).toBe('reader');
    expect(config.clickhouse.database).toBe('db_x');

    const error = errorOf(() => loadConfig({ file, env: { CH_PASS: 's3cret' } }));
    expect(error.message).toBe(`${file}: clickhouse.database: environment variable SUFFIX is not set`);
  });

  it('treats a value that is only an unset ${VAR} as absent, so optional keys stay optional', () => {
    const file = writeConfig('database:\n  url: ${DATABASE_URL_FOR_TEST}\n');
    const { config } = loadConfig({ file, env: {} });
    expect(config.database.url).toBeUndefined();
  });

  it('lets environment variables override the file', () => {
    const file = writeConfig('server:\n  agentBot: { port: 3100 }\n');
    const { config } = loadConfig({
      file,
      env: {
        AGENT_BOT_PORT: '4100',
        DATABASE_URL: 'postgres://u:p@db:5432/x',
        SWITCHBOARD_DATA_DIR: '/tmp/sb',
      },
    });
    expect(config.server.agentBot.port).toBe(4100);
    expect(config.database.url).toBe('postgres://u:p@db:5432/x');
    expect(config.database.local.dataDir).toBe('/tmp/sb/postgres');
    expect(config.clickhouse.local.dataDir).toBe('/tmp/sb/clickhouse');
  });

  it('reads clickhouse.cluster from the file or CLICKHOUSE_CLUSTER, and only as a plain identifier', () => {
    const file = writeConfig('clickhouse:\n  url: http://ch:8123\n  cluster: analytics\n');
    expect(loadConfig({ file, env: {} }).config.clickhouse.cluster).toBe('analytics');
    expect(loadConfig({ file, env: { CLICKHOUSE_CLUSTER: 'other' } }).config.clickhouse.cluster).toBe(
      'other',
    );
    expect(loadConfig({ file: writeConfig('{}\n'), env: {} }).config.clickhouse.cluster).toBeUndefined();
    const bad = writeConfig('clickhouse:\n  cluster: "c; DROP DATABASE x"\n');
    expect(errorOf(() => loadConfig({ file: bad, env: {} })).message).toContain(
      'clickhouse.cluster: must be a plain identifier',
    );
  });

  it('rejects invalid YAML and a missing explicit file with a clear line', () => {
    const file = writeConfig('server: [unclosed\n');
    expect(errorOf(() => loadConfig({ file, env: {} })).message).toMatch(/invalid YAML/);
    expect(errorOf(() => loadConfig({ file: '/nonexistent/sb.yaml', env: {} })).message).toBe(
      'Configuration file /nonexistent/sb.yaml does not exist.',
    );
  });
});
