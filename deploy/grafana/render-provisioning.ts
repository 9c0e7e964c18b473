// docker-compose's grafana-provisioning job: renders Grafana's provisioning files (datasource,
// dashboards, alerts) for this deployment into the directory given, which Grafana then mounts.
// Grafana expands ${VAR} in provisioning YAML but never inside dashboard JSON, so the "Open in
// Chatwoot" links' base URL (the dashboards' chatwoot_url constant) is set here, from
// CHATWOOT_PUBLIC_URL, instead of the committed files' http://localhost:3000; and the dashboards'
// time zone (day and week buckets, the daily-cost alert's day) from DASHBOARDS_TIME_ZONE, which
// should be the account's analytics.accounts[].timezone (the committed files say UTC).
// Usage: node --import tsx deploy/grafana/render-provisioning.ts <dir>
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_SETTINGS, renderProvisioning } from '@switchboard/dashboards';

/** The subdirectories the renderer owns; anything else in the target is left alone. */
const RENDERED_DIRS = ['datasources', 'dashboards', 'alerting'];

export function renderDeploymentProvisioning(
  target: string,
  chatwootPublicUrl: string | undefined,
  timeZone: string | undefined = undefined,
): number {
  const chatwootUrl = (chatwootPublicUrl ?? DEFAULT_SETTINGS.chatwootUrl).replace(/\/+$/, '');
  // renderProvisioning validates the settings (an invalid URL or zone stops here, before anything is removed).
  const files = renderProvisioning({
    ...DEFAULT_SETTINGS,
    chatwootUrl,
    timeZone: timeZone || DEFAULT_SETTINGS.timeZone,
  });
  for (const dir of RENDERED_DIRS) fs.rmSync(path.join(target, dir), { recursive: true, force: true });
  for (const file of files) {
    const destination = path.join(target, file.path);
    fs.mkdirSync(path.dirname(destination), { recursive: true });
    fs.writeFileSync(destination, file.content);
  }
  return files.length;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const target = process.argv[2];
  if (!target) {
    process.stderr.write('usage: render-provisioning.ts <dir>\n');
    process.exit(2);
  }
  const timeZone = process.env.DASHBOARDS_TIME_ZONE;
  const count = renderDeploymentProvisioning(target, process.env.CHATWOOT_PUBLIC_URL, timeZone);
  process.stdout.write(
    `grafana provisioning: ${count} files in ${target} (Chatwoot links: ${process.env.CHATWOOT_PUBLIC_URL ?? DEFAULT_SETTINGS.chatwootUrl}; time zone ${timeZone || DEFAULT_SETTINGS.timeZone})\n`,
  );
}
