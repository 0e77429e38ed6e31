import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * <stateDir>/faults.json: the faults in effect right now on the cluster of that state dir, written
 * before a fault is applied and cleared once it is undone. A process that died without undoing
 * them (SIGKILL) leaves the file behind, so `cluster status`, `cluster down` and the next
 * `cluster up` can find and remove what it did, even the pids it paused.
 */
export const FAULT_FILE = 'faults.json';

const faultFileSchema = z.object({
  version: z.literal(1),
  basePort: z.number().int(),
  /** The mqbench process that applied the faults (undoing them is its job while it lives). */
  ownerPid: z.number().int(),
  /** Its start time (/proc/<pid>/stat), so a reused pid is not taken for the owner. */
  ownerStartTicks: z.number().optional(),
  updatedAt: z.string(),
  /** iptables chain holding the cuts, or null. */
  chain: z.string().nullable(),
  cuts: z.array(z.object({ cut: z.array(z.string()), clients: z.boolean() })),
  /** SIGSTOPped node processes. */
  paused: z.array(z.object({ node: z.string(), pids: z.array(z.number().int()) })),
});

export type FaultFile = z.output<typeof faultFileSchema>;

export function faultFilePath(stateDir: string): string {
  return join(stateDir, FAULT_FILE);
}

/** undefined when there is no (valid) file. */
export function readFaultFile(stateDir: string): FaultFile | undefined {
  const file = faultFilePath(stateDir);
  if (!existsSync(file)) return undefined;
  try {
    const parsed = faultFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Synchronous (also used from exit handlers) and via rename, so a reader never sees half a file. */
export function writeFaultFile(stateDir: string, content: FaultFile): void {
  mkdirSync(stateDir, { recursive: true });
  const file = faultFilePath(stateDir);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(content, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

export function removeFaultFile(stateDir: string): void {
  rmSync(faultFilePath(stateDir), { force: true });
}
