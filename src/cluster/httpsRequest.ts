import { Agent, request } from 'node:https';
import type { TlsSettings } from '../amqp/tls.js';

export interface HttpsAnswer {
  status: number;
  statusText: string;
  text: string;
}

/** Raised when the answer does not come within the time limit, so callers can tell it from network errors. */
export class HttpsTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
}

/**
 * One keep-alive agent per TLS configuration: Node 20's global fetch cannot take a custom CA,
 * so https:// management URLs go through node:https with the profile's tls options.
 */
export function httpsAgent(tls: TlsSettings | undefined): Agent {
  return new Agent({ keepAlive: true, ...(tls ?? {}) });
}

/** An HTTPS request bounded by timeoutMs (connect, TLS handshake and the whole answer). */
export function httpsRequest(
  agent: Agent,
  url: URL,
  opts: { method: string; headers: Record<string, string>; body: string | undefined; timeoutMs: number },
): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method, headers: opts.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    const timer = setTimeout(() => req.destroy(new HttpsTimeoutError(opts.timeoutMs)), opts.timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end(opts.body);
  });
}
