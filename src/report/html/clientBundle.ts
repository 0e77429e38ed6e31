import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../util/packageRoot.js';
import { EXIT, UserError } from '../../util/userError.js';

/** The page script's source (TypeScript, type-checked with tsconfig.client.json), relative to the package root. */
export const CLIENT_ENTRY = 'src/report/html/client/main.ts';
/** Where scripts/build-client.ts writes it as one classic script (an IIFE), relative to the package root. */
export const CLIENT_BUNDLE = 'dist/client/report.js';

const cache = new Map<string, string>();

/** The bundled page script, read once from the package's dist/ (or `root`'s); fails in one line when it was not built. */
export function loadClientScript(root: string = packageRoot()): string {
  const file = join(root, CLIENT_BUNDLE);
  let source = cache.get(file);
  if (source !== undefined) return source;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`report script not built: run npm run build (${file} is missing)`, EXIT.runFailed);
  }
  cache.set(file, source);
  return source;
}
