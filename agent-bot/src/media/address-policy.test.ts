import { describe, expect, it } from 'vitest';
import { parseFetchOrigin } from '@switchboard/core/config/media';
import { isPrivateAddress, originAllowed } from './address-policy.js';

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

describe('originAllowed', () => {
  const origin = (url: string) => parseFetchOrigin(url)!;

  it('matches exact hosts case-insensitively and wildcard subdomains only', () => {
    expect(originAllowed(origin('https://Chat.Example.com'), ['chat.example.com'])).toBe(true);
    expect(originAllowed(origin('https://bucket.s3.example.com'), ['*.s3.example.com'])).toBe(true);
    expect(originAllowed(origin('https://s3.example.com'), ['*.s3.example.com'])).toBe(false);
    expect(originAllowed(origin('https://bucket.s3.example.com.evil.test'), ['*.s3.example.com'])).toBe(
      false,
    );
    expect(originAllowed(origin('https://evil-s3.example.com'), ['*.s3.example.com'])).toBe(false);
  });

  it('needs the same scheme and port: a bare host is https on 443 only', () => {
    expect(originAllowed(origin('https://chat.example.com:443'), ['chat.example.com'])).toBe(true);
    expect(originAllowed(origin('http://chat.example.com'), ['chat.example.com'])).toBe(false);
    expect(originAllowed(origin('https://chat.example.com:8443'), ['chat.example.com'])).toBe(false);
    expect(originAllowed(origin('http://127.0.0.1:3100'), ['http://127.0.0.1:3100'])).toBe(true);
    expect(originAllowed(origin('http://127.0.0.1:3101'), ['http://127.0.0.1:3100'])).toBe(false);
    expect(originAllowed(origin('https://127.0.0.1:3100'), ['http://127.0.0.1:3100'])).toBe(false);
    expect(originAllowed(origin('http://chatwoot-web'), ['http://chatwoot-web:80'])).toBe(true);
  });

  it('ignores entries that do not parse', () => {
    expect(originAllowed(origin('https://chat.example.com'), ['chat.example.com/path', 'ftp://x'])).toBe(
      false,
    );
  });
});
