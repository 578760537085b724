import { isIP } from 'node:net';
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const satisfies readonly LevelWithSilent[];

/**
 * Structured JSON logs on stdout (one object a line, for journald, Docker or a collector).
 * Anything that looks like a secret is censored wherever it appears in a logged object.
 */
export function createLogger(options: { level?: LevelWithSilent; destination?: pino.DestinationStream } = {}): Logger {
  const secrets = ['password', 'token', 'secret', 'authorization', 'cookie', 'editToken', 'email'];
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'parley' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: [...secrets, ...secrets.map((key) => `*.${key}`)], censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}

/**
 * An address cut to its network, so logs never hold a full IP (a personal datum): IPv4 keeps
 * its /24, IPv6 its /48.
 */
export function anonymizeIp(address: string): string {
  const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  if (isIP(plain) === 4) return plain.replace(/\.\d+$/, '.0');
  if (isIP(plain) === 6) {
    const [head = ''] = plain.split('::');
    const groups = plain.includes('::') ? head.split(':').filter(Boolean) : plain.split(':');
    return `${groups.slice(0, 3).join(':')}::`;
  }
  return 'unknown';
}
