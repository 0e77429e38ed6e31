import { arch, cpus, hostname, loadavg, platform, release, totalmem } from 'node:os';
import { packageVersion } from '../util/packageRoot.js';
import type { EnvironmentInfo } from './model.js';

/** The host's 1, 5 and 15 min load averages now, rounded. */
export function loadAverage(): number[] {
  return loadavg().map((x) => Math.round(x * 100) / 100);
}

/** `loadBefore`: the load averages when the measurement started (a busy host shows there), else null. */
export function environmentInfo(loadBefore: number[] | null = null): EnvironmentInfo {
  const cpuList = cpus();
  return {
    mqbenchVersion: packageVersion(),
    nodeVersion: process.version,
    os: { platform: platform(), release: release(), arch: arch() },
    hostname: hostname(),
    cpu: { count: cpuList.length, model: cpuList[0]?.model ?? 'unknown' },
    memoryBytes: totalmem(),
    loadAverage: { before: loadBefore, after: loadAverage() },
  };
}
