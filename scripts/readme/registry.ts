import { benchGate } from './benchGate.js';
import { benchScale } from './benchScale.js';
import { capacityCurve } from './capacityCurve.js';
import { capacityMatrix } from './capacityMatrix.js';
import { faultExperiments } from './faultExperiments.js';
import type { TableGenerator } from './generator.js';
import { latencyMatrix } from './latencyMatrix.js';
import { replicationMatrix } from './replicationMatrix.js';
import { resilienceMatrix } from './resilienceMatrix.js';

/**
 * Every README table generator, by the name its marker uses:
 *   <!-- generated: <name> <file> … -->
 * To add a table: write scripts/readme/<name>.ts exporting a TableGenerator, add it here, wrap the
 * table in the README with a marker naming it and its result file(s), run
 * `node dist/scripts/readme-tables.js`, and list the file(s) in results/reference/README.md.
 */
export const GENERATORS: Readonly<Record<string, TableGenerator>> = {
  'replication-matrix': replicationMatrix,
  'latency-matrix': latencyMatrix,
  'fault-experiments': faultExperiments,
  'resilience-matrix': resilienceMatrix,
  'capacity-curve': capacityCurve,
  'capacity-matrix': capacityMatrix,
  'bench-gate': benchGate,
  'bench-scale': benchScale,
};
