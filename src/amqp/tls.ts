import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../util/userError.js';

/**
 * TLS options as plain data, the PEM files already read (once, in the main thread): they travel to
 * workers in ConnectionSettings and are passed as-is to amqplib (tls.connect) and node:https.
 */
export interface TlsSettings {
  ca?: string;
  cert?: string;
  key?: string;
  passphrase?: string;
  servername?: string;
  rejectUnauthorized: boolean;
}

/** A TLS file that cannot be read: one line naming the profile field and the path. */
export class TlsConfigError extends UserError {
  override readonly name = 'TlsConfigError';
}

const PEM_FIELDS = ['ca', 'cert', 'key'] as const;

/** PEM text given inline (e.g. from ${ENV}) rather than a file path. */
function isPem(value: string): boolean {
  return value.trimStart().startsWith('-----BEGIN ');
}

/**
 * Reads the PEM files a profile's tls object names. `field` is where it sits in the profile
 * ("broker.tls"), so an unreadable file is reported as e.g. "broker.tls.ca: cannot read /x/ca.pem: no such file".
 */
export function loadTls(
  config: { ca?: string; cert?: string; key?: string; passphrase?: string; servername?: string; rejectUnauthorized: boolean },
  field: string,
  cwd = process.cwd(),
): TlsSettings {
  const out: TlsSettings = { rejectUnauthorized: config.rejectUnauthorized };
  for (const name of PEM_FIELDS) {
    const value = config[name];
    if (value === undefined) continue;
    out[name] = isPem(value) ? value : readPem(resolve(cwd, value), `${field}.${name}`);
  }
  if (config.passphrase !== undefined) out.passphrase = config.passphrase;
  if (config.servername !== undefined) out.servername = config.servername;
  if (out.key !== undefined && out.cert === undefined) throw new TlsConfigError(`${field}.cert: missing: a client key (${field}.key) needs its certificate`);
  if (out.cert !== undefined && out.key === undefined) throw new TlsConfigError(`${field}.key: missing: a client certificate (${field}.cert) needs its private key`);
  return out;
}

function readPem(path: string, field: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new TlsConfigError(`${field}: cannot read ${path}: ${why}`);
  }
  if (!text.includes('-----BEGIN ')) throw new TlsConfigError(`${field}: ${path} is not a PEM file (no "-----BEGIN" line)`);
  return text;
}

const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
]);

/**
 * A TLS failure (Node's error code) in words, or undefined when the code is not about TLS:
 * "TLS: server certificate not trusted (SELF_SIGNED_CERT_IN_CHAIN): check tls.ca".
 */
export function describeTlsError(code: string, message: string): string | undefined {
  if (UNTRUSTED.has(code)) return `TLS: server certificate not trusted (${code}): check tls.ca`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `TLS: server certificate does not name this host (${message}): check the URI's host or tls.servername`;
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return `TLS: server certificate not valid now (${code})`;
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_')) {
    const hint = /wrong version number|packet length too long/i.test(message) ? ': is this port a TLS listener?' : '';
    return `TLS handshake failed (${code}: ${message})${hint}`;
  }
  return undefined;
}
