import { maskSecretsInText } from '../util/mask.js';
import { describeTlsError } from './tls.js';

/** A connection failure with a one-line message naming the URI (password masked) and the cause. */
export class BrokerConnectError extends Error {
  readonly exitCode = 2;
  constructor(uri: string, cause: string) {
    super(`cannot connect to ${maskSecretsInText(uri)}: ${cause}`);
    this.name = 'BrokerConnectError';
  }
}

/** Reduces the many shapes of socket/AMQP errors to their cause: ECONNREFUSED, ACCESS_REFUSED, ... */
export function describeConnectError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const e = err as Error & { code?: string; errors?: Error[] };
  if (e.code && typeof e.code === 'string') {
    const tls = describeTlsError(e.code, e.message);
    if (tls) return tls;
  }
  if (e.code && typeof e.code === 'string') return `${e.code}${e.message && !e.message.includes(e.code) ? ` (${e.message})` : ''}`;
  if (e.errors && e.errors.length > 0) return describeConnectError(e.errors[0]);
  if (/ACCESS_REFUSED|PLAIN login refused|403/i.test(e.message)) return `ACCESS_REFUSED (wrong user name or password): ${e.message.split('\n')[0]}`;
  if (/NOT_ALLOWED|530/.test(e.message)) return `NOT_ALLOWED (vhost missing or no access): ${e.message.split('\n')[0]}`;
  return e.message.split('\n')[0] ?? e.message;
}
