/**
 * Errors raised by the cluster modules. They carry a process exit code so the CLI can
 * map them directly: 1 = something failed at runtime, 2 = the environment or the
 * request is wrong (RabbitMQ not installed, invalid layout, bad port block).
 */
export class ClusterError extends Error {
  readonly exitCode: number;

  constructor(message: string, opts: { exitCode?: number; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ClusterError';
    this.exitCode = opts.exitCode ?? 1;
  }
}

export const EXIT_RUNTIME = 1;
export const EXIT_USAGE = 2;
