/** mean ± sample standard deviation, and the ratio of two such values (as hyperfine reports "1.8 ± 0.1 times"). */
export interface MeanStd {
  mean: number;
  stddev: number;
  n: number;
}

export function meanStd(xs: number[]): MeanStd {
  const n = xs.length;
  if (n === 0) return { mean: 0, stddev: 0, n: 0 };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, stddev: Math.sqrt(variance), n };
}

/** a / b with the relative errors added in quadrature (first-order error propagation). */
export function ratio(a: MeanStd, b: MeanStd): MeanStd {
  if (b.mean === 0) return { mean: 0, stddev: 0, n: Math.min(a.n, b.n) };
  const r = a.mean / b.mean;
  const relA = a.mean === 0 ? 0 : a.stddev / a.mean;
  const relB = b.stddev / b.mean;
  return { mean: r, stddev: Math.abs(r) * Math.sqrt(relA ** 2 + relB ** 2), n: Math.min(a.n, b.n) };
}
