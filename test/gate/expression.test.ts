import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExpressionError, parseExpression } from '../../src/gate/expression.js';

test('absolute limits with statistics, comparisons and units', () => {
  assert.deepEqual(parseExpression('p(99) < 50ms'), { source: 'p(99) < 50ms', aggregation: { kind: 'percentile', q: 99 }, comparison: '<', limit: { kind: 'absolute', value: 50 } });
  assert.deepEqual(parseExpression(' p(99.9)<=0.2s ').limit, { kind: 'absolute', value: 200 });
  assert.deepEqual(parseExpression('mean >= 20000').aggregation, { kind: 'mean' });
  assert.deepEqual(parseExpression('avg >= 20_000').limit, { kind: 'absolute', value: 20000 });
  assert.deepEqual(parseExpression('med < 500us').aggregation, { kind: 'percentile', q: 50 });
  assert.ok(Math.abs((parseExpression('med < 500us').limit as { value: number }).value - 0.5) < 1e-12);
  assert.equal(parseExpression('count == 0').comparison, '==');
  assert.equal(parseExpression('max != 3').comparison, '!=');
});

test('limits relative to the baseline', () => {
  assert.deepEqual(parseExpression('mean >= baseline - 10%').limit, { kind: 'relative', percent: -10, delta: null });
  assert.deepEqual(parseExpression('p(99) <= baseline + 25%').limit, { kind: 'relative', percent: 25, delta: null });
  assert.deepEqual(parseExpression('p(50) <= baseline + 2ms').limit, { kind: 'relative', percent: null, delta: 2 });
  assert.deepEqual(parseExpression('mean >= baseline').limit, { kind: 'relative', percent: 0, delta: null });
});

test('malformed expressions say what is wrong', () => {
  const cases: Array<[string, RegExp]> = [
    ['p(99 < 5', /"p\(" is not closed/],
    ['p(150) < 5', /p\(150\) is not a percentile/],
    ['p() < 5', /is not a percentile/],
    ['mode < 5', /unknown statistic "mode"/],
    ['< 5', /expected a statistic first/],
    ['mean 5', /expected a comparison/],
    ['mean >=', /nothing after ">="/],
    ['mean >= fast', /"fast" is not a number/],
    ['p(99) < 5 minutes', /is not a number|unknown unit/],
    ['p(99) < 5h', /unknown unit "h"/],
    ['mean >= baseline * 2', /after "baseline"/],
    ['', /empty threshold/],
  ];
  for (const [source, message] of cases) {
    assert.throws(() => parseExpression(source), (err: unknown) => err instanceof ExpressionError && message.test(err.message), source);
  }
});
