/** Replaces the password in every URI inside `text` (scheme://user:password@host) with ***. */
export function maskUriText(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)([^@\s]*)@/gi, '$1***@');
}
