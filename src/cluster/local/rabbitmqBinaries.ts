import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { ClusterError, EXIT_USAGE } from '../errors.js';

/**
 * We run the scripts in /usr/lib/rabbitmq/bin directly: the /usr/sbin wrappers switch to
 * the rabbitmq user, which could not read our root-owned state dir and cookie.
 * MQBENCH_RABBITMQ_BIN overrides the directory (other installs, and tests).
 */
export const DEFAULT_RABBITMQ_BIN_DIR = '/usr/lib/rabbitmq/bin';
export const RABBITMQ_BIN_ENV = 'MQBENCH_RABBITMQ_BIN';

export interface RabbitmqBinaries {
  dir: string;
  server: string;
  ctl: string;
}

export function rabbitmqBinDir(explicit?: string): string {
  return explicit ?? process.env[RABBITMQ_BIN_ENV] ?? DEFAULT_RABBITMQ_BIN_DIR;
}

export function findRabbitmqBinaries(binDir?: string): RabbitmqBinaries {
  const dir = rabbitmqBinDir(binDir);
  const bins: RabbitmqBinaries = { dir, server: join(dir, 'rabbitmq-server'), ctl: join(dir, 'rabbitmqctl') };
  for (const file of [bins.server, bins.ctl]) {
    try {
      accessSync(file, constants.X_OK);
    } catch {
      throw new ClusterError(
        `rabbitmq-server is not installed: run apt-get install -y rabbitmq-server (no executable ${file}; ` +
          `set ${RABBITMQ_BIN_ENV} if RabbitMQ lives elsewhere)`,
        { exitCode: EXIT_USAGE },
      );
    }
  }
  return bins;
}

/** True if the binaries exist; lets tests skip integration cases on machines without RabbitMQ. */
export function rabbitmqInstalled(binDir?: string): boolean {
  try {
    findRabbitmqBinaries(binDir);
    return true;
  } catch {
    return false;
  }
}
