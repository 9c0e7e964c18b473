import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level?: string;
  format?: 'auto' | 'pretty' | 'json';
  name?: string;
}

/**
 * Paths that may hold secrets or personal data. pino removes them before a line is written,
 * so a careless `log.info({ headers })` cannot leak a token.
 */
const REDACT = [
  'password',
  '*.password',
  'apiKey',
  '*.apiKey',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'headers.authorization',
  'headers.api_access_token',
  'headers["api_access_token"]',
  'req.headers.authorization',
  'req.headers.api_access_token',
  '*.phone_number',
  'phone_number',
];

export function createLogger(options: LoggerOptions = {}): Logger {
  const format = options.format ?? 'auto';
  const pretty = format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
  return pino({
    name: options.name ?? 'switchboard',
    level: options.level ?? 'info',
    redact: { paths: REDACT, censor: '[redacted]' },
    ...(pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' },
          },
        }
      : {}),
  });
}

/**
 * Keeps the country code and the last three digits: enough for an agent to recognise a
 * customer in a log line, not enough to call them.
 */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  const digits = phone.replace(/[^\d+]/g, '');
  if (digits.length <= 6) return '***';
  const head = digits.startsWith('+') ? digits.slice(0, 3) : digits.slice(0, 2);
  return `${head}${'*'.repeat(Math.max(3, digits.length - head.length - 3))}${digits.slice(-3)}`;
}
