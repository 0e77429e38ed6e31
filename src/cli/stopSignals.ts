import { EXIT } from './fail.js';

export type StopSignal = 'SIGINT' | 'SIGTERM';

/** Ctrl-C and SIGTERM end the work gracefully: `abort` is called once with a reason; what was measured is still written. */
export class StopSignals {
  private got: StopSignal | undefined;
  private readonly onInt = (): void => this.stop('SIGINT');
  private readonly onTerm = (): void => this.stop('SIGTERM');

  constructor(private readonly abort: (reason: string) => void) {
    process.on('SIGINT', this.onInt);
    process.on('SIGTERM', this.onTerm);
  }

  /** The first signal received, if any. */
  get signal(): StopSignal | undefined {
    return this.got;
  }

  /** 130 after Ctrl-C, 143 after SIGTERM, undefined without a signal. */
  get exitCode(): number | undefined {
    return this.got === undefined ? undefined : this.got === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
  }

  dispose(): void {
    process.off('SIGINT', this.onInt);
    process.off('SIGTERM', this.onTerm);
  }

  private stop(s: StopSignal): void {
    this.got ??= s;
    this.abort(s === 'SIGINT' ? 'interrupted by Ctrl-C (SIGINT)' : 'terminated (SIGTERM)');
  }
}
