import { describe, expect, it } from 'vitest';
import { chatwootAccountSchema } from './chatwoot.js';
import { mediaSchema, parseFetchOrigin } from './media.js';

describe('parseFetchOrigin', () => {
  it.each([
    ['http://127.0.0.1:3100', { scheme: 'http', host: '127.0.0.1', port: 3100 }],
    ['https://Chat.Example.com', { scheme: 'https', host: 'chat.example.com', port: 443 }],
    ['http://chatwoot-web:3000/', { scheme: 'http', host: 'chatwoot-web', port: 3000 }],
    ['http://chatwoot-web', { scheme: 'http', host: 'chatwoot-web', port: 80 }],
    // A bare host keeps loading and means what a production Chatwoot or bucket serves: https, 443.
    ['chat.example.com', { scheme: 'https', host: 'chat.example.com', port: 443 }],
    ['chat.example.com.', { scheme: 'https', host: 'chat.example.com', port: 443 }],
    ['*.s3.eu-west-1.amazonaws.com', { scheme: 'https', host: '*.s3.eu-west-1.amazonaws.com', port: 443 }],
    ['http://*.storage.test:9000', { scheme: 'http', host: '*.storage.test', port: 9000 }],
    ['::1', { scheme: 'https', host: '::1', port: 443 }],
    ['[::1]', { scheme: 'https', host: '::1', port: 443 }],
    // Every numeric spelling of an address is the same address.
    ['http://0x7f000001:3100', { scheme: 'http', host: '127.0.0.1', port: 3100 }],
    ['http://2130706433:3100', { scheme: 'http', host: '127.0.0.1', port: 3100 }],
    ['http://0177.0.0.1:3100', { scheme: 'http', host: '127.0.0.1', port: 3100 }],
    ['http://127.1:3100', { scheme: 'http', host: '127.0.0.1', port: 3100 }],
    ['http://[::ffff:127.0.0.1]:3100', { scheme: 'http', host: '127.0.0.1', port: 3100 }],
    ['::ffff:169.254.169.254', { scheme: 'https', host: '169.254.169.254', port: 443 }],
  ])('%s', (entry, expected) => {
    expect(parseFetchOrigin(entry)).toEqual(expected);
  });

  it.each([
    'chat.example.com:8443', // a port needs the scheme: http://… or https://…
    'ftp://chat.example.com',
    'https://chat.example.com/rails',
    'https://user:pw@chat.example.com',
    'https://chat.example.com?x=1',
    'chat.example.com/path',
    'a*b.example.com',
    '*.1.2.3',
    '',
  ])('refuses %j', (entry) => {
    expect(parseFetchOrigin(entry)).toBeNull();
  });
});

describe('allow-list entries in the configuration', () => {
  const account = {
    id: 1,
    baseUrl: 'http://chatwoot-web:3000',
    bot: { id: 1, accessToken: 't' },
  };

  it('loads bare hosts (existing files) and origins', () => {
    const media = mediaSchema.parse({
      fetch: { privateAddressHosts: ['chat.example.com', 'http://chatwoot-web:3000'] },
    });
    expect(media.fetch.privateAddressHosts).toEqual(['chat.example.com', 'http://chatwoot-web:3000']);
    const parsed = chatwootAccountSchema.parse({
      ...account,
      storageHosts: ['chat.example.com', '*.s3.amazonaws.com', 'http://127.0.0.1:3300'],
    });
    expect(parsed.storageHosts).toHaveLength(3);
  });

  it('refuses an entry that is neither', () => {
    expect(() => mediaSchema.parse({ fetch: { privateAddressHosts: ['chat.example.com:8443'] } })).toThrow(
      /origin such as/,
    );
    expect(() => chatwootAccountSchema.parse({ ...account, storageHosts: ['https://x.test/path'] })).toThrow(
      /origin such as/,
    );
  });
});
