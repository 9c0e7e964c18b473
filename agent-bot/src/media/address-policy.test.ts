import { describe, expect, it } from 'vitest';
import { hostMatches, isPrivateAddress } from './address-policy.js';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::a9fe:a9fe',
    'not-an-ip',
  ])('blocks %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '172.32.0.1', '52.95.110.1', '2606:4700::1111', '::ffff:8.8.8.8'])(
    'allows %s',
    (address) => {
      expect(isPrivateAddress(address)).toBe(false);
    },
  );
});

describe('hostMatches', () => {
  it('matches exact hosts case-insensitively and wildcard subdomains only', () => {
    expect(hostMatches('Chat.Example.com', ['chat.example.com'])).toBe(true);
    expect(hostMatches('bucket.s3.example.com', ['*.s3.example.com'])).toBe(true);
    expect(hostMatches('s3.example.com', ['*.s3.example.com'])).toBe(false);
    expect(hostMatches('bucket.s3.example.com.evil.test', ['*.s3.example.com'])).toBe(false);
    expect(hostMatches('evil-s3.example.com', ['*.s3.example.com'])).toBe(false);
  });
});
