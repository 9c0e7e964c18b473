import fs from 'node:fs';
import path from 'node:path';
import { PROVISIONING_DIR, renderProvisioning } from './render-provisioning.js';

/**
 * `npm run dashboards`: writes the provisioning files; `-- --check` only reports drift (exit 1).
 * Files of ours that are no longer generated (a removed dashboard) are deleted, so Grafana
 * stops provisioning them.
 */
const GENERATED_DIRS = ['datasources', 'dashboards', 'alerting'];

function existingFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .flatMap((entry) =>
      entry.isFile() ? [path.relative(PROVISIONING_DIR, path.join(entry.parentPath, entry.name))] : [],
    );
}

function main(): void {
  const check = process.argv.includes('--check');
  const files = renderProvisioning();
  const wanted = new Set(files.map((file) => file.path));
  const stale = GENERATED_DIRS.flatMap((dir) => existingFiles(path.join(PROVISIONING_DIR, dir))).filter(
    (file) => !wanted.has(file),
  );
  const changed = files.filter((file) => {
    const target = path.join(PROVISIONING_DIR, file.path);
    return !fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== file.content;
  });
  if (check) {
    for (const file of [...changed.map((f) => f.path), ...stale]) console.log(`out of date: ${file}`);
    process.exitCode = changed.length + stale.length > 0 ? 1 : 0;
    return;
  }
  for (const file of changed) {
    const target = path.join(PROVISIONING_DIR, file.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.content);
  }
  for (const file of stale) fs.rmSync(path.join(PROVISIONING_DIR, file));
  console.log(
    `dashboards: ${files.length} files in ${path.relative(process.cwd(), PROVISIONING_DIR) || '.'} ` +
      `(${changed.length} written, ${stale.length} removed)`,
  );
}

main();
