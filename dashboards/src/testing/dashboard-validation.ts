import type { Dashboard, GridPos, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';

/** Variables Grafana defines itself, and the plugin's macros, which need no dashboard variable. */
const BUILT_INS = /^__/;
const REFERENCE = /\$(\w+)|\[\[(\w+?)(?::\w+)?\]\]|\$\{(\w+)(?:\.[^:}]+)?(?::[^}]+)?\}/g;

/** Every `$name` / `${name:format}` in a string, built-ins excluded. */
export function referencedVariables(text: string): string[] {
  return [...text.matchAll(REFERENCE)]
    .map((match) => (match[1] ?? match[2] ?? match[3])!)
    .filter((name) => !BUILT_INS.test(name));
}

function overlaps(a: GridPos, b: GridPos): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/**
 * Problems Grafana would not report loudly: duplicate ids, panels off the 24-column grid or on
 * top of each other, references to variables the dashboard does not define. Empty = valid.
 */
export function validateDashboard(dashboard: Dashboard): string[] {
  const problems: string[] = [];
  const top = (dashboard.panels ?? []) as (Panel | RowPanel)[];
  const all = top.flatMap((panel) =>
    panel.type === 'row' ? [panel, ...(panel as RowPanel).panels] : [panel],
  );
  if ((dashboard.schemaVersion ?? 0) < 39) problems.push(`schemaVersion ${dashboard.schemaVersion} < 39`);
  if (!dashboard.uid || dashboard.uid.length > 40)
    problems.push(`uid "${dashboard.uid}" missing or > 40 chars`);

  const ids = all.map((panel) => panel.id);
  for (const id of ids) {
    if (typeof id !== 'number') problems.push(`a panel has no id`);
    else if (ids.indexOf(id) !== ids.lastIndexOf(id)) problems.push(`panel id ${id} is used twice`);
  }

  const placed = all.map((panel) => ({ title: panel.title ?? `#${panel.id}`, grid: panel.gridPos }));
  for (const [i, a] of placed.entries()) {
    if (!a.grid) {
      problems.push(`"${a.title}" has no gridPos`);
      continue;
    }
    if (a.grid.x < 0 || a.grid.y < 0 || a.grid.w < 1 || a.grid.h < 1 || a.grid.x + a.grid.w > 24) {
      problems.push(`"${a.title}" is off the grid: ${JSON.stringify(a.grid)}`);
    }
    for (const b of placed.slice(i + 1)) {
      if (b.grid && overlaps(a.grid, b.grid)) problems.push(`"${a.title}" overlaps "${b.title}"`);
    }
  }

  const defined = new Set((dashboard.templating?.list ?? []).map((variable) => variable.name));
  const used = new Map<string, string>();
  const note = (text: string | undefined, where: string) => {
    for (const name of referencedVariables(text ?? '')) used.set(name, where);
  };
  for (const variable of dashboard.templating?.list ?? []) {
    note(JSON.stringify(variable.query ?? ''), `variable ${variable.name}`);
    note(variable.datasource?.uid, `variable ${variable.name}`);
  }
  for (const panel of all) {
    const where = `panel "${panel.title}"`;
    note(panel.title, where);
    note(JSON.stringify((panel as Panel).targets ?? []), where);
    note(JSON.stringify((panel as Panel).fieldConfig ?? {}), where);
    note(panel.datasource?.uid, where);
  }
  for (const [name, where] of used) {
    if (!defined.has(name)) problems.push(`${where} uses $${name}, which the dashboard does not define`);
  }
  return problems;
}
