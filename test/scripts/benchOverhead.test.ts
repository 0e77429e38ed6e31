import assert from 'node:assert/strict';
import { test } from 'node:test';
import { usageDelta, type UsageReading } from '../../scripts/bare/usage.js';
import { perMessage, type RunFigures } from '../../scripts/overhead/figures.js';
import { parseOptions } from '../../scripts/overhead/options.js';
import { isNoisy, renderSummary, summarize } from '../../scripts/overhead/summary.js';
import { UserError } from '../../src/util/userError.js';

test('bench-overhead options: defaults, --help, and bad input as a UserError naming the option', () => {
  const o = parseOptions([]);
  assert.ok(o);
  assert.deepEqual(o.queueTypes, ['classic', 'quorum']);
  assert.equal(o.rounds, 2);
  assert.equal(parseOptions(['--help']), null);
  assert.deepEqual(parseOptions(['--queue-types', 'quorum, quorum'])?.queueTypes, ['quorum']);
  for (const [args, says] of [
    [['--rounds', '1.5'], /^--rounds: expected an integer/],
    [['--duration', '0'], /^--duration: /],
    [['--queue-types', 'stream'], /^--queue-types: unknown queue type "stream"/],
    [['--nope'], /nope/],
  ] as const) {
    assert.throws(() => parseOptions([...args]), (err: unknown) => err instanceof UserError && err.exitCode === 2 && says.test(err.message));
  }
  assert.throws(() => parseOptions(['--uri', 'http://u:hunter2@h/']), (err: unknown) => err instanceof Error && /u:\*\*\*@h/.test(err.message) && !err.message.includes('hunter2'));
});

const reading = (cpuUs: number, atUs: number): UsageReading => ({
  atUs,
  userUs: cpuUs,
  systemUs: 0,
  voluntaryCtxSwitches: 10,
  involuntaryCtxSwitches: 0,
  readSyscalls: 100,
  writeSyscalls: 100,
});

function run(side: RunFigures['side'], round: number, consumedMsgsPerS: number, windowCpuUs: number): RunFigures {
  return {
    side,
    queueType: 'classic',
    round,
    consumedMsgsPerS,
    publishedMsgsPerS: consumedMsgsPerS,
    measuredMs: 1000,
    measuredConsumed: 100,
    ...perMessage(usageDelta(reading(windowCpuUs, 1e6)), 100, usageDelta(reading(2 * windowCpuUs, 2e6)), 200),
    wallMs: 2000,
    loadavg1: [0, 0],
    deliveryOk: true,
    note: null,
  };
}

test('bench-overhead summary: per-message figures, mean ratio, per-round ratios and noise', () => {
  const r = run('bare', 1, 1000, 3000);
  assert.equal(r.windowCpuUsPerMsg, 30);
  assert.equal(r.windowSyscallsPerMsg, 2);
  assert.equal(r.windowCtxSwitchesPerMsg, 0.1);
  assert.equal(r.processCpuUsPerMsg, 30);
  const runs = [run('bare', 1, 1000, 3000), run('mqbench', 1, 900, 4000), run('bare', 2, 1000, 3000), run('mqbench', 2, 1000, 4000)];
  const s = summarize('classic', runs);
  assert.equal(s.ratio, 0.95);
  assert.deepEqual(s.roundRatios, [0.9, 1]);
  assert.equal(s.meetsTarget, true);
  assert.deepEqual(s.cpuUsPerMsg, { bare: 30, mqbench: 40 });
  assert.equal(isNoisy(s), true);
  const [head, row] = renderSummary([s]).split('\n').map((line) => line.trim().split(/ {2,}/));
  assert.equal(head?.[0], 'queue');
  assert.deepEqual(row, ['classic', '1000', '950', '0.950 (0.90, 1.00)', 'yes', '30.0', '40.0', '30.0', '40.0']);
});
