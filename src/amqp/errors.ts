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

/**
 * amqplib reports a refused connection.open (the server answers connection.close) without the
 * server's text: "Expected ConnectionOpenOk; got <ConnectionClose channel:0>". RabbitMQ refuses it
 * for one reason only, NOT_ALLOWED on the vhost, so that is named instead, with the vhost and user.
 */
const OPEN_REFUSED = /^Expected ConnectionOpenOk; got <ConnectionClose/;

/** The cause of a failed connect to `uri`, in words: describeConnectError plus what the URI tells. */
export function describeConnectFailure(err: unknown, uri: string): string {
  if (err instanceof Error && OPEN_REFUSED.test(err.message)) {
    let vhost = '/';
    let user = 'guest';
    try {
      const u = new URL(uri);
      vhost = u.pathname === '' || u.pathname === '/' ? '/' : decodeURIComponent(u.pathname.slice(1));
      user = decodeURIComponent(u.username) || 'guest';
    } catch {
      // amqplib parsed it, so it is a URL; keep the defaults otherwise
    }
    return `NOT_ALLOWED: the broker refused vhost "${vhost}" to user "${user}": the vhost does not exist or the user has no permissions on it`;
  }
  return describeConnectError(err);
}

/** Reduces the many shapes of socket/AMQP errors to their cause: ECONNREFUSED, ACCESS_REFUSED, ... */
export function describeConnectError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const e = err as Error & { code?: string; errors?: Error[] };
  if (e.code && typeof e.code === 'string') return describeTlsError(e.code, e.message) ?? `${e.code}${e.message && !e.message.includes(e.code) ? ` (${e.message})` : ''}`;
  if (e.errors && e.errors.length > 0) return describeConnectError(e.errors[0]);
  if (/ACCESS_REFUSED|PLAIN login refused|403/i.test(e.message)) return `ACCESS_REFUSED (wrong user name or password): ${e.message.split('\n')[0]}`;
  if (/NOT_ALLOWED|530/.test(e.message)) return `NOT_ALLOWED (vhost missing or no access): ${e.message.split('\n')[0]}`;
  return e.message.split('\n')[0] ?? e.message;
}
