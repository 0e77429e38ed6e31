/**
 * A unified-style line diff (`---`/`+++`, `@@ -a,b +c,d @@` hunks with 3 lines of context) from the
 * longest common subsequence of lines. Enough for a README; empty string when the texts are equal.
 */
export function unifiedDiff(before: string, after: string, names: { before: string; after: string }, context = 3): string {
  if (before === after) return '';
  // A final newline ends the last line; it does not start another.
  const lines = (t: string): string[] => (t.endsWith('\n') ? t.slice(0, -1) : t).split('\n');
  const a = lines(before);
  const b = lines(after);
  // lcs[i][j]: length of the LCS of a[i..] and b[j..].
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  type Op = { kind: ' ' | '-' | '+'; text: string; ai: number; bi: number };
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push({ kind: ' ', text: a[i]!, ai: i++, bi: j++ });
    // Removals before additions, as diff prints them.
    else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) ops.push({ kind: '-', text: a[i]!, ai: i++, bi: j });
    else ops.push({ kind: '+', text: b[j]!, ai: i, bi: j++ });
  }
  const out = [`--- ${names.before}`, `+++ ${names.after}`];
  let k = 0;
  while (k < ops.length) {
    if (ops[k]!.kind === ' ') {
      k++;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` lines after the last change within reach.
    const from = Math.max(0, k - context);
    let to = k;
    let last = k;
    while (to < ops.length && to - last <= 2 * context + 1) {
      if (ops[to]!.kind !== ' ') last = to;
      to++;
    }
    const end = Math.min(ops.length, last + context + 1);
    const hunk = ops.slice(from, end);
    const aLines = hunk.filter((o) => o.kind !== '+').length;
    const bLines = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${hunk[0]!.ai + 1},${aLines} +${hunk[0]!.bi + 1},${bLines} @@`, ...hunk.map((o) => `${o.kind}${o.text}`));
    k = end;
  }
  if (out.length === 2) out.push('(the texts differ only in their final newline)');
  return out.join('\n');
}
