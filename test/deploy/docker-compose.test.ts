import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@switchboard/core';

/**
 * No Docker engine runs here, so the production stack is checked by reading it: the README and
 * the compose file must agree, host ports must not clash, every variable must be documented.
 */
const composeText = fs.readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8');
const compose = parse(composeText, { merge: true }) as {
  services: Record<
    string,
    {
      ports?: string[];
      depends_on?: Record<string, unknown>;
      volumes?: string[];
      image?: string;
      build?: unknown;
    }
  >;
  volumes: Record<string, unknown>;
};
const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const envExample = fs.readFileSync(path.join(REPO_ROOT, '.env.example'), 'utf8');

function readmeServices(): string[] {
  const section = readme.slice(readme.indexOf('## Deploy with docker-compose'));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| Service |')));
  return [...table.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((match) => match[1]!);
}

/** `${VAR}`, `${VAR:-default}`, `${VAR:?message}`; `$$` escapes are not variables. */
function composeVariables(): string[] {
  const withoutComments = composeText
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n');
  const names = [...withoutComments.matchAll(/(?<!\$)\$\{([A-Z_][A-Z0-9_]*)(?::?[-?][^}]*)?\}/g)].map(
    (m) => m[1]!,
  );
  return [...new Set(names)].sort();
}

function resolveDefault(value: string): string {
  return value.replace(/\$\{[A-Z_][A-Z0-9_]*:-([^}]*)\}/g, '$1');
}

describe('docker-compose.yml', () => {
  it('has every service the README names, and the README names every service', () => {
    const named = readmeServices();
    expect(named.length).toBeGreaterThanOrEqual(9);
    expect(Object.keys(compose.services).sort()).toEqual([...named].sort());
    for (const required of [
      'caddy',
      'postgres',
      'clickhouse',
      'grafana',
      'grafana-provisioning',
      'agent-bot',
      'analytics-ingest',
      'analytics-serve',
      'connect-chatwoot',
      'chatwoot-web',
      'chatwoot-sidekiq',
      'chatwoot-postgres',
      'chatwoot-redis',
    ]) {
      expect(named).toContain(required);
    }
  });

  it('publishes no host port twice', () => {
    const hostPorts = Object.values(compose.services).flatMap((service) =>
      (service.ports ?? []).map((entry) => {
        // 443:443 and 443:443/udp are different host ports.
        const [mapping, protocol = 'tcp'] = resolveDefault(entry).split('/');
        return `${mapping!.split(':').slice(0, -1).join(':')}/${protocol}`;
      }),
    );
    expect(hostPorts.length).toBeGreaterThan(0);
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
  });

  it('documents every ${VAR} in the README and in .env.example', () => {
    const variables = composeVariables();
    expect(variables).toContain('POSTGRES_PASSWORD');
    const exampleKeys = new Set([...envExample.matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    for (const name of variables) {
      expect(readme, `README documents ${name}`).toContain(`\`${name}\``);
      expect(exampleKeys.has(name), `.env.example lists ${name}`).toBe(true);
    }
  });

  it('only depends on services and volumes that exist, and lets Chatwoot call the bot on the private network', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const dependency of Object.keys(service.depends_on ?? {})) {
        expect(compose.services, `${name} depends on ${dependency}`).toHaveProperty(dependency);
      }
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (!source.startsWith('.'))
          expect(compose.volumes, `${name} mounts ${source}`).toHaveProperty(source);
        // .env is the operator's (from .env.example); everything else mounted comes with the repository.
        else if (source === './.env') expect(fs.existsSync(path.join(REPO_ROOT, '.env.example'))).toBe(true);
        else expect(fs.existsSync(path.join(REPO_ROOT, source)), `${name} mounts ${source}`).toBe(true);
      }
      expect(service.image ?? service.build, `${name} has an image or a build`).toBeTruthy();
    }
    const web = compose.services['chatwoot-web'] as { environment: Record<string, string> };
    expect(web.environment.SAFE_FETCH_ALLOW_PRIVATE_NETWORK).toBe('true');
  });
});
