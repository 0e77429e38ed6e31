/** Stops every local cluster the test suite started (.mqbench/test-*); .ci/run calls it on exit. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { clusterDown } from '../src/cluster/local/cluster.js';
import { STATE_FILE } from '../src/cluster/local/state.js';
import { packageRoot } from '../src/util/packageRoot.js';

/** Cluster state directories under dir: those holding a state file, one level down for matrix runs. */
function clusterDirs(dir: string, depth: number): string[] {
  // A lock file beside a state dir (test-x.lock) is not a cluster.
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  if (existsSync(join(dir, STATE_FILE))) return [dir];
  if (depth === 0) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => clusterDirs(join(dir, d.name), depth - 1));
}

const base = join(packageRoot(), '.mqbench');
const testDirs = existsSync(base) ? readdirSync(base).filter((d) => d.startsWith('test-')) : [];
for (const dir of testDirs.flatMap((d) => clusterDirs(join(base, d), 1))) {
  const { stopped } = await clusterDown({ stateDir: dir });
  if (stopped.length > 0) console.log(`stopped ${stopped.join(', ')}`);
}
