/** Stops every local cluster the test suite started (.mqbench/test-cluster-*); .ci/run calls it on exit. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { clusterDown } from '../src/cluster/local/cluster.js';
import { packageRoot } from '../src/util/packageRoot.js';

const base = join(packageRoot(), '.mqbench');
const dirs = existsSync(base) ? readdirSync(base).filter((d) => d.startsWith('test-cluster')) : [];
for (const dir of dirs) {
  const { stopped } = await clusterDown({ stateDir: join(base, dir) });
  if (stopped.length > 0) console.log(`stopped ${stopped.join(', ')}`);
}
