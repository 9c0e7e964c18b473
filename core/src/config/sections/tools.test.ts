import { describe, expect, it } from 'vitest';
import { toolsSchema } from './tools.js';

const issues = (input: unknown) => {
  const result = toolsSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('tools config', () => {
  it('defaults to no tools', () => {
    expect(toolsSchema.parse(undefined)).toMatchObject({
      lookups: {},
      customerData: {},
      files: {},
      followUps: { maxDaysAhead: 14 },
    });
  });

  it('names the key of every inconsistency at start', () => {
    expect(
      issues({
        lookups: {
          orders: {
            kind: 'sql',
            description: 'd',
            connectionUrl: 'postgres://x',
            query: 'SELECT * FROM o WHERE id = $2',
            parameters: [{ name: 'id', description: 'i', pattern: '([' }],
          },
          'Bad Name': { kind: 'http', description: 'd', url: 'https://x.test/{a}' },
        },
        appointments: {
          timezone: 'Mars/Olympus',
          services: { cut: { name: 'Cut', durationMinutes: 30, resources: ['nobody'] } },
          exceptions: [{ date: '2026-01-01', resources: ['ghost'] }],
        },
        customerData: { a: [{ key: 'plan', type: 'enum', description: 'p' }] },
        files: { both: { description: 'd', fileName: 'f.pdf' } },
      }),
    ).toEqual([
      'lookups.orders.parameters.0.pattern: must be a valid regular expression',
      'lookups.orders.query: uses $2 but only 1 parameters are declared',
      'lookups.orders.parameters.0: parameter "id" ($1) is not used in the query',
      'lookups.Bad Name: Invalid key in record',
      'appointments.timezone: unknown time zone "Mars/Olympus"',
      'appointments.services.cut.resources.0: unknown resource "nobody"',
      'appointments.exceptions.0.resources: unknown resource "ghost"',
      'customerData.a.0.options: an enum field needs options',
      'files.both: a file needs exactly one of url or knowledgeDocument',
    ]);
  });

  it('checks SQL placeholders against the declared parameters', () => {
    expect(
      issues({
        lookups: {
          orders: {
            kind: 'sql',
            description: 'd',
            connectionUrl: 'postgres://x',
            query: 'SELECT * FROM o WHERE id = $2',
            parameters: [{ name: 'id', description: 'i' }],
          },
        },
      }),
    ).toEqual([
      'lookups.orders.query: uses $2 but only 1 parameters are declared',
      'lookups.orders.parameters.0: parameter "id" ($1) is not used in the query',
    ]);
  });
});
