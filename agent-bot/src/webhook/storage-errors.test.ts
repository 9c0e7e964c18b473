import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { storageUnavailable, storeFailureDetail } from './storage-errors.js';

const databaseError = (code: string): Error =>
  Object.assign(new pg.DatabaseError('refused "+5511987654321"', 0, 'error'), { code });
const systemError = (code: string): Error =>
  Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });

describe('storageUnavailable', () => {
  it.each(['08006', '08001', '40001', '40P01', '53300', '57P01', '57014', '58030', 'XX000'])(
    'is true for SQLSTATE %s (the storage, not the delivery)',
    (code) => expect(storageUnavailable(databaseError(code))).toBe(true),
  );

  it.each(['22021', '22P05', '22008', '23505', '42703', '54000'])(
    'is false for SQLSTATE %s (this delivery cannot be stored)',
    (code) => expect(storageUnavailable(databaseError(code))).toBe(false),
  );

  it('is true for connection failures without a SQLSTATE', () => {
    expect(storageUnavailable(systemError('ECONNREFUSED'))).toBe(true);
    expect(storageUnavailable(systemError('EPIPE'))).toBe(true);
    expect(storageUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(storageUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
  });

  it('is false for a bug', () => {
    expect(storageUnavailable(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(
      false,
    );
    expect(storageUnavailable('not an error')).toBe(false);
  });
});

describe('storeFailureDetail', () => {
  it('logs a database error by its code only (its message quotes values), a bug with its stack', () => {
    expect(storeFailureDetail(databaseError('22P05'))).toEqual({ code: '22P05' });
    const bug = storeFailureDetail(new TypeError('x is undefined'));
    expect(bug.code).toBe('TypeError');
    expect(bug.stack).toContain('x is undefined');
  });
});
