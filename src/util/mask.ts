/** Keeps passwords out of logs, reports and error messages. */

const MASK = '***';
/** A URI inside free text: scheme://, then everything up to whitespace or a quote/bracket. */
const URI_IN_TEXT = /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s"'<>`]+/g;
const URI_START = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
/** Object keys whose string values are secrets wherever they appear. */
const SECRET_KEY = /password|passwd|passphrase|secret|token/i;
/** A private key given inline (e.g. broker.tls.key from ${ENV}). */
const PRIVATE_KEY_PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/**
 * `amqp://guest:guest@host:5672/` → `amqp://guest:***@host:5672/`. Userinfo ends at the *last* `@`
 * so an unescaped `@` or `/` inside a password is still hidden (over-masking beats leaking).
 * URIs without a password are returned unchanged.
 */
export function maskUri(uri: string): string {
  const start = URI_START.exec(uri);
  if (!start) return uri;
  const rest = uri.slice(start[0].length);
  const at = rest.lastIndexOf('@');
  if (at < 0) return uri;
  const userinfo = rest.slice(0, at);
  const colon = userinfo.indexOf(':');
  if (colon < 0 || colon === userinfo.length - 1) return uri;
  return `${start[0]}${userinfo.slice(0, colon + 1)}${MASK}${rest.slice(at)}`;
}

/** Masks the password of every URI found in `text`. */
export function maskSecretsInText(text: string): string {
  return text.replace(URI_IN_TEXT, maskUri);
}

/**
 * Deep copy of any JSON-like value with every URI password masked, and every string under a
 * password/secret/token key replaced. Generic, so new fields holding URIs are covered too.
 */
export function maskSecrets<T>(value: T): T {
  return maskValue(value, false) as T;
}

/** A profile safe to print or store next to results. */
export function maskProfile<T extends object>(profile: T): T {
  return maskSecrets(profile);
}

function maskValue(value: unknown, secretKey: boolean): unknown {
  if (typeof value === 'string') return (secretKey && value !== '') || PRIVATE_KEY_PEM.test(value) ? MASK : maskSecretsInText(value);
  if (Array.isArray(value)) return value.map((item) => maskValue(item, secretKey));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskValue(item, SECRET_KEY.test(key))]));
  }
  return value;
}
