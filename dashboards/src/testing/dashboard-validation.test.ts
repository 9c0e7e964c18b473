import { describe, expect, it } from 'vitest';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { referencedVariables, validateDashboard } from './dashboard-validation.js';

describe('dashboard validation', () => {
  it('finds variable references in every syntax, built-ins excluded', () => {
    expect(
      referencedVariables('a IN (${a:singlequote}) AND $b AND [[c]] AND $__timeFilter(t) AND ${__value.raw}'),
    ).toEqual(['a', 'b', 'c']);
  });

  it('reports duplicate ids, overlaps, off-grid panels and undefined variables', () => {
    const dashboard = {
      uid: 'x',
      schemaVersion: 42,
      templating: { list: [{ type: 'textbox', name: 'phone' }] },
      panels: [
        {
          type: 'stat',
          id: 1,
          title: 'A',
          gridPos: { x: 0, y: 0, w: 12, h: 4 },
          targets: [{ rawSql: '$phone' }],
        },
        {
          type: 'stat',
          id: 1,
          title: 'B',
          gridPos: { x: 6, y: 2, w: 12, h: 4 },
          targets: [{ rawSql: '$nope' }],
        },
        { type: 'stat', id: 3, title: 'C', gridPos: { x: 20, y: 10, w: 6, h: 4 } },
      ],
    } as unknown as Dashboard;
    expect(validateDashboard(dashboard)).toEqual([
      'panel id 1 is used twice',
      'panel id 1 is used twice',
      '"A" overlaps "B"',
      '"C" is off the grid: {"x":20,"y":10,"w":6,"h":4}',
      'panel "B" uses $nope, which the dashboard does not define',
    ]);
  });
});
