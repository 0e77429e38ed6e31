import { arch, cpus, hostname, platform, release, totalmem } from 'node:os';
import { packageVersion } from '../util/packageRoot.js';
import type { EnvironmentInfo } from './model.js';

export function environmentInfo(): EnvironmentInfo {
  const cpuList = cpus();
  return {
    mqbenchVersion: packageVersion(),
    nodeVersion: process.version,
    os: { platform: platform(), release: release(), arch: arch() },
    hostname: hostname(),
    cpu: { count: cpuList.length, model: cpuList[0]?.model ?? 'unknown' },
    memoryBytes: totalmem(),
  };
}
