import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, loadConfig } from '@switchboard/core';
import { parseFetchOrigin } from '@switchboard/core/config/media';
import {
  networkAliases,
  ourServices,
  readCompose,
  readEnvExample,
  sampleEnv,
  writableMounts,
  type ComposeService,
} from './compose.js';
import { runtimeImage } from './dockerfile.js';

/**
 * The deployment as deployed, checked by reading it (no Docker daemon and no real Chatwoot run
 * here): what each container can run, reach and write, and that the pieces agree with each other.
 */
const env = sampleEnv();
const compose = readCompose(env);
const image = runtimeImage();
const services = compose.services;

/**
 * What the third-party images ship, for their healthchecks. Sources: pgvector/pgvector builds on
 * the postgres Debian image (pg_isready); clickhouse-server's Ubuntu image installs wget; redis
 * ships redis-cli; grafana/grafana, caddy:*-alpine and chatwoot/chatwoot (ruby alpine; curl only
 * outside RAILS_ENV=production, docker/Dockerfile) are Alpine, whose busybox has wget.
 */
const IMAGE_COMMANDS: [prefix: string, commands: string[]][] = [
  ['pgvector/pgvector:', ['pg_isready', 'psql']],
  ['clickhouse/clickhouse-server:', ['wget', 'clickhouse']],
  ['redis:', ['redis-cli']],
  ['grafana/grafana:', ['wget']],
  ['caddy:', ['wget', 'caddy']],
  ['chatwoot/chatwoot:', ['wget']],
];
/** Data directories of the third-party images: each must be a named volume. */
const IMAGE_DATA_DIRS: [prefix: string, dirs: string[]][] = [
  ['pgvector/pgvector:', ['/var/lib/postgresql/data']],
  ['clickhouse/clickhouse-server:', ['/var/lib/clickhouse']],
  ['redis:', ['/data']],
  ['grafana/grafana:', ['/var/lib/grafana']],
  ['caddy:', ['/data', '/config']],
  ['chatwoot/chatwoot:', ['/app/storage']],
];

function lookup<T>(table: [string, T][], service: ComposeService): T | undefined {
  return table.find(([prefix]) => service.image?.startsWith(prefix))?.[1];
}

/** Executables our image has: the node base image's node/npm, and what apt installs. */
function ourImageCommands(): string[] {
  return ['node', 'npm', 'npx', 'sh', ...image.aptPackages];
}

function healthcheckCommand(test: string[]): string {
  if (test[0] === 'CMD') return test[1]!;
  if (test[0] === 'CMD-SHELL') return test[1]!.trim().split(/\s+/)[0]!;
  throw new Error(`healthcheck form ${test[0]}`);
}

const ours = new Set(ourServices(compose).map(([name]) => name));
const frontendUrl = new URL(String(services['chatwoot-web']!.environment!.FRONTEND_URL));

describe('the deployment, as docker compose would run it', () => {
  it('parses and interpolates with the example .env filled in, and stops without the required values', () => {
    expect(Object.keys(services).length).toBeGreaterThanOrEqual(10);
    expect(frontendUrl.href).toBe('https://chat.example.com/');
    expect(() => readCompose({ ...env, CHATWOOT_DOMAIN: '' })).toThrow(/CHATWOOT_DOMAIN/);
    expect(() => readCompose({ ...env, POSTGRES_PASSWORD: '' })).toThrow(/POSTGRES_PASSWORD/);
  });

  it('runs every healthcheck with a command its image has, and waits only on services that have one', () => {
    const checked: string[] = [];
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        if (condition === 'service_healthy')
          expect(services[dependency]!.healthcheck, `${name} waits for ${dependency}'s health`).toBeDefined();
      }
      if (!service.healthcheck) continue;
      const command = healthcheckCommand(service.healthcheck.test);
      const available = ours.has(name) ? ourImageCommands() : lookup(IMAGE_COMMANDS, service);
      expect(available, `${name}: the commands of ${service.image}`).toBeDefined();
      expect(available, `${name}'s healthcheck runs ${command}`).toContain(command);
      checked.push(name);
    }
    for (const name of [
      'caddy',
      'postgres',
      'clickhouse',
      'agent-bot',
      'grafana',
      'chatwoot-web',
      'chatwoot-redis',
    ])
      expect(checked).toContain(name);
    // Our HTTP services check /healthz on the port they listen on.
    for (const [name, service] of ourServices(compose)) {
      if (!service.healthcheck) continue;
      const port = Object.entries(service.environment ?? {}).find(([key]) => key.endsWith('_PORT'))?.[1];
      expect(service.healthcheck.test.join(' '), name).toContain(`127.0.0.1:${port}/healthz`);
    }
  });

  it("allows the bot to fetch attachments from Chatwoot's FRONTEND_URL host, and routes that host to Chatwoot", () => {
    const bot = services['agent-bot']!;
    const configPath = String(bot.environment!.SWITCHBOARD_CONFIG);
    // ./config is mounted at /app/config; operators copy the example to the file compose names.
    expect(bot.volumes).toContain('./config:/app/config:ro');
    expect(configPath).toBe('/app/config/production.yaml');
    const example = path.join(REPO_ROOT, 'config/examples/production.yaml');
    const botEnv = Object.fromEntries(
      Object.entries(bot.environment!).map(([key, value]) => [key, String(value)]),
    );
    const { config } = loadConfig({ file: example, env: botEnv });
    // media-enricher.ts: allowed = the API base URL's origin plus storageHosts, compared as origins
    // (scheme, host, port; a bare host is https on 443).
    const frontend = parseFetchOrigin(frontendUrl.origin);
    expect(frontend).toEqual({ scheme: 'https', host: 'chat.example.com', port: 443 });
    for (const account of config.chatwoot.accounts) {
      const allowed = [account.baseUrl, ...account.storageHosts].map((entry) => parseFetchOrigin(entry));
      expect(allowed, `account ${account.id} allows ${frontendUrl.origin}`).toContainEqual(frontend);
    }
    // Inside the network the public name is a private address: the proxy's alias.
    const proxies = Object.entries(services).filter(([, service]) =>
      networkAliases(service).includes(frontendUrl.hostname),
    );
    expect(proxies.map(([name]) => name)).toEqual(['caddy']);
    expect(config.media.fetch.privateAddressHosts.map((entry) => parseFetchOrigin(entry))).toContainEqual(
      frontend,
    );
    expect(config.media.fetch.allowPrivateAddresses).toBe(false);
    const caddyfile = fs.readFileSync(path.join(REPO_ROOT, 'deploy/caddy/Caddyfile'), 'utf8');
    expect(caddyfile).toMatch(/^\{\$CHATWOOT_DOMAIN\} \{/m);
    expect(caddyfile).toMatch(/handle \{\s+reverse_proxy chatwoot-web:3000\s+\}/);
    expect(services.caddy!.environment!.CHATWOOT_DOMAIN).toBe(frontendUrl.hostname);
  });

  it("mounts a volume (or tmpfs) on every path a container writes, and our image's user owns its volumes", () => {
    for (const [name, service] of ourServices(compose)) {
      const writable = writableMounts(service);
      if (service.profiles?.includes('tools')) {
        // connect-chatwoot writes the operator's files on the host, as root (whoever owns them).
        expect(service.user).toBe('0:0');
        expect(writable).toEqual(expect.arrayContaining(['/app/config', '/app/.env']));
        continue;
      }
      expect(service.user, `${name} runs as the image's user`).toBeUndefined();
      for (const dir of [...image.volumes, '/tmp'])
        expect(writable, `${name} can write ${dir}`).toContain(dir);
      for (const dir of image.volumes) {
        const source = service.volumes!.find((volume) => volume.split(':')[1] === dir)!.split(':')[0]!;
        // A named volume starts as a copy of the image's directory, so it keeps node's ownership.
        expect(compose.volumes, `${name}'s ${dir} is a named volume`).toHaveProperty(source);
        expect(image.ownedByUser).toContain(dir);
      }
    }
    for (const [name, service] of Object.entries(services)) {
      if (ours.has(name)) continue;
      const dirs = lookup(IMAGE_DATA_DIRS, service);
      expect(dirs, `${name}: the data directories of ${service.image}`).toBeDefined();
      for (const dir of dirs!) {
        const mount = (service.volumes ?? []).find((volume) => volume.split(':')[1] === dir);
        expect(mount, `${name} keeps ${dir} in a volume`).toBeDefined();
        expect(compose.volumes).toHaveProperty(mount!.split(':')[0]!);
      }
    }
  });

  it("gives Grafana provisioning rendered with Chatwoot's public URL and the account's time zone", () => {
    const grafana = services.grafana!;
    const job = services['grafana-provisioning']!;
    const mount = grafana.volumes!.find((volume) => volume.split(':')[1] === '/etc/grafana/provisioning')!;
    const [volume] = mount.split(':');
    const target = job.command!.at(-1)!;
    expect(job.volumes).toContain(`${volume}:${target}`);
    expect(grafana.depends_on!['grafana-provisioning']).toEqual({
      condition: 'service_completed_successfully',
    });
    expect(job.environment!.CHATWOOT_PUBLIC_URL).toBe(frontendUrl.origin);
    expect(job.environment!.DASHBOARDS_TIME_ZONE).toBe('UTC');

    // Run the job's command as compose does, into a scratch directory.
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'grafana-provisioning-'));
    try {
      const [program, ...args] = job.command!;
      execFileSync(program === 'node' ? process.execPath : program!, [...args.slice(0, -1), out], {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          CHATWOOT_PUBLIC_URL: String(job.environment!.CHATWOOT_PUBLIC_URL),
          DASHBOARDS_TIME_ZONE: 'America/Sao_Paulo',
        },
        stdio: 'pipe',
      });
      const dashboards = fs.readdirSync(path.join(out, 'dashboards/switchboard'));
      expect(dashboards.length).toBeGreaterThanOrEqual(5);
      for (const file of dashboards) {
        const dashboard = JSON.parse(
          fs.readFileSync(path.join(out, 'dashboards/switchboard', file), 'utf8'),
        ) as {
          timezone: string;
          templating: { list: { name: string; query: string; current?: { value: string } }[] };
        };
        const link = dashboard.templating.list.find((variable) => variable.name === 'chatwoot_url');
        expect(link?.query, file).toBe(frontendUrl.origin);
        // Days and weeks cut at the account's midnight (DASHBOARDS_TIME_ZONE), not at UTC's.
        const zone = dashboard.templating.list.find((variable) => variable.name === 'timezone');
        expect([dashboard.timezone, zone?.current?.value], file).toEqual([
          'America/Sao_Paulo',
          'America/Sao_Paulo',
        ]);
      }
      // The rest is the committed provisioning, byte for byte (the datasource keeps its $VARs).
      const committed = path.join(REPO_ROOT, 'dashboards/provisioning/datasources/clickhouse.yaml');
      expect(fs.readFileSync(path.join(out, 'datasources/clickhouse.yaml'), 'utf8')).toBe(
        fs.readFileSync(committed, 'utf8'),
      );
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('routes the insight panel where connect-chatwoot installs it, and keeps the rest of analytics private', () => {
    const caddyfile = fs.readFileSync(path.join(REPO_ROOT, 'deploy/caddy/Caddyfile'), 'utf8');
    const main = fs.readFileSync(path.join(REPO_ROOT, 'chatwoot-connect/src/main.ts'), 'utf8');
    expect(main).toContain('`https://${domain}/switchboard/panel`');
    expect(caddyfile).toContain('handle_path /switchboard/* {');
    expect(caddyfile).toContain('@panel path /panel /panel.js /api/conversations/*');
    const upstream = /handle @panel \{\s+reverse_proxy ([\w-]+):(\d+)/.exec(caddyfile);
    expect(services[upstream![1]!], `the panel's upstream ${upstream![1]}`).toBeDefined();
    // Only the proxy is public; /healthz ports are on loopback.
    for (const [name, service] of Object.entries(services)) {
      for (const port of service.ports ?? []) {
        if (name === 'caddy') expect(port).toMatch(/^443:443(\/udp)?$|^80:80$/);
        else expect(port, `${name} publishes ${port}`).toMatch(/^127\.0\.0\.1:/);
      }
    }
  });

  it("has connect-chatwoot's default URLs point at the services that answer them", () => {
    const main = fs.readFileSync(path.join(REPO_ROOT, 'chatwoot-connect/src/main.ts'), 'utf8');
    const botUrl = new URL(/'(http:\/\/agent-bot:\d+\/webhooks\/chatwoot)'/.exec(main)![1]!);
    expect(botUrl.port).toBe(String(services['agent-bot']!.environment!.AGENT_BOT_PORT));
    const analyticsUrl = new URL(/'(http:\/\/analytics-ingest:\d+)'/.exec(main)![1]!);
    expect(analyticsUrl.port).toBe(String(services['analytics-ingest']!.environment!.ANALYTICS_INGEST_PORT));
    expect(services['connect-chatwoot']!.environment!.CHATWOOT_URL).toBe('http://chatwoot-web:3000');
  });

  it('documents every .env.example variable in the README', () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    for (const name of Object.keys(readEnvExample()))
      expect(readme, `README documents ${name}`).toContain(`\`${name}\``);
  });
});
