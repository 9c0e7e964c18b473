import { describe, expect, it } from 'vitest';
import { writeCalendar } from './icalendar.js';

describe('writeCalendar', () => {
  it('escapes text, folds long lines at 75 octets and ends lines with CRLF', () => {
    const ics = writeCalendar(
      [
        {
          uid: 'ABC123@switchboard',
          start: new Date('2026-03-02T09:00:00Z'),
          end: new Date('2026-03-02T10:00:00Z'),
          summary: 'Haircut; wash, dry',
          description: `Line one\nü ${'x'.repeat(100)}`,
          sequence: 2,
          stamp: new Date('2026-03-01T12:00:00.123Z'),
        },
      ],
      { method: 'REQUEST' },
    );
    const lines = ics.split('\r\n');
    expect(lines).toContain('SUMMARY:Haircut\\; wash\\, dry');
    expect(lines).toContain('DTSTAMP:20260301T120000Z');
    expect(lines).toContain('SEQUENCE:2');
    expect(lines.every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded).toContain(`DESCRIPTION:Line one\\nü ${'x'.repeat(100)}`);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
  });
});
