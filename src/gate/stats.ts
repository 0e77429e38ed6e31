/**
 * Between-run statistics for judging repeated results: is a difference beyond the noise?
 * Mann–Whitney U (Wilcoxon rank-sum), two-sided: exact (every split of the pooled values
 * enumerated, ties as mid-ranks) up to 10 vs 10 runs, the exact no-ties distribution for larger
 * samples without ties, and the normal approximation with tie correction beyond that.
 */

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface MannWhitney {
  /** U of the first sample: pairs (a, b) with a > b, ties counting ½. */
  u: number;
  /** Two-sided p-value. */
  pValue: number;
  exact: boolean;
}

/** Largest n·m for which the exact no-ties distribution is computed. */
const EXACT_LIMIT = 2_500;
/** Largest number of splits (n+m choose n) enumerated for the exact test with ties. */
const ENUMERATION_LIMIT = 200_000;

/** Mann–Whitney U test of a against b, two-sided. Needs at least one value on each side. */
export function mannWhitneyU(a: readonly number[], b: readonly number[]): MannWhitney {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) throw new Error('mannWhitneyU needs at least one value on each side');
  let u = 0;
  for (const x of a) for (const y of b) u += x > y ? 1 : x === y ? 0.5 : 0;
  const all = [...a, ...b];
  const ties = hasTies(all);
  if (ties && choose(n + m, n) <= ENUMERATION_LIMIT) return { u, pValue: enumeratedP(a, b, u), exact: true };
  if (!ties && n * m <= EXACT_LIMIT) {
    const counts = exactUDistribution(n, m);
    const total = counts.reduce((s, c) => s + c, 0);
    const lower = Math.min(u, n * m - u);
    let tail = 0;
    for (let k = 0; k <= lower; k++) tail += counts[k]!;
    return { u, pValue: Math.min(1, (2 * tail) / total), exact: true };
  }
  const mean = (n * m) / 2;
  const N = n + m;
  const tieTerm = tieCorrection(all);
  const variance = ((n * m) / 12) * (N + 1 - tieTerm / (N * (N - 1)));
  if (variance <= 0) return { u, pValue: 1, exact: false };
  const z = (Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
  return { u, pValue: Math.min(1, 2 * (1 - normalCdf(Math.max(0, z)))), exact: false };
}

function choose(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

/** Exact two-sided p by enumerating every way to pick n of the pooled values as the first sample (mid-ranks for ties). */
function enumeratedP(a: readonly number[], b: readonly number[], u: number): number {
  const pooled = [...a, ...b];
  const ranks = midRanks(pooled);
  const n = a.length;
  const m = b.length;
  const centre = (n * m) / 2;
  const observed = Math.abs(u - centre) - 1e-9;
  const offset = (n * (n + 1)) / 2;
  let extreme = 0;
  let total = 0;
  const walk = (start: number, left: number, rankSum: number): void => {
    if (left === 0) {
      total++;
      if (Math.abs(rankSum - offset - centre) >= observed) extreme++;
      return;
    }
    for (let i = start; i <= pooled.length - left; i++) walk(i + 1, left - 1, rankSum + ranks[i]!);
  };
  walk(0, n, 0);
  return Math.min(1, extreme / total);
}

/** 1-based ranks, ties given the mean of the ranks they span. */
function midRanks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
  const ranks = new Array<number>(xs.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j]![0] === order[i]![0]) j++;
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) ranks[order[k]![1]] = rank;
    i = j;
  }
  return ranks;
}

function hasTies(xs: readonly number[]): boolean {
  const s = [...xs].sort((x, y) => x - y);
  for (let i = 1; i < s.length; i++) if (s[i] === s[i - 1]) return true;
  return false;
}

/** Σ (t³ − t) over groups of tied values. */
function tieCorrection(xs: readonly number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  let sum = 0;
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j < s.length && s[j] === s[i]) j++;
    const t = j - i;
    sum += t ** 3 - t;
    i = j;
  }
  return sum;
}

/** counts[u] = number of arrangements of n x's and m y's whose U is u (recurrence on the largest value). */
function exactUDistribution(n: number, m: number): number[] {
  // f(i, j) as arrays over u; f(i, j)[u] = f(i-1, j)[u - j] + f(i, j-1)[u]
  let prev: number[][] = [];
  for (let i = 0; i <= n; i++) {
    const row: number[][] = [];
    for (let j = 0; j <= m; j++) {
      if (i === 0 || j === 0) {
        row.push([1]);
        continue;
      }
      const a = prev[j]!; // f(i-1, j): the largest value is an x, which beats all j y's
      const b = row[j - 1]!; // f(i, j-1): the largest value is a y
      const out = new Array<number>(i * j + 1).fill(0);
      for (let u = 0; u < a.length; u++) out[u + j]! += a[u]!;
      for (let u = 0; u < b.length; u++) out[u]! += b[u]!;
      row.push(out);
    }
    prev = row;
  }
  return prev[m]!;
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 via erf; error < 1.5e-7). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(z) / Math.SQRT2));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(z * z) / 2);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
