import type { MessageSize } from '../profile/messageSchema.js';
import { mulberry32 } from './prng.js';

/** Message body sizes as workers get them (plain data: it crosses to worker threads). */
export type MessageSizeSpec =
  | { kind: 'fixed'; bytes: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'weighted'; sizes: Array<{ size: number; weight: number }> };

export function messageSizeSpec(size: MessageSize): MessageSizeSpec {
  if (typeof size === 'number') return { kind: 'fixed', bytes: size };
  if (size.weighted) return { kind: 'weighted', sizes: size.weighted.map((w) => ({ size: w.size, weight: w.weight })) };
  return { kind: 'uniform', min: size.min ?? 0, max: size.max ?? size.min ?? 0 };
}

/** A CSV or table cell: the size itself when fixed, else its label. */
export function messageSizeCell(size: MessageSize): number | string {
  return typeof size === 'number' ? size : messageSizeLabel(size);
}

/** The largest body the spec can produce: the publisher's buffer size. */
export function maxMessageBytes(spec: MessageSizeSpec): number {
  switch (spec.kind) {
    case 'fixed':
      return spec.bytes;
    case 'uniform':
      return spec.max;
    case 'weighted':
      return Math.max(...spec.sizes.map((s) => s.size));
  }
}

/** The expected body size in bytes. */
export function meanMessageBytes(spec: MessageSizeSpec): number {
  switch (spec.kind) {
    case 'fixed':
      return spec.bytes;
    case 'uniform':
      return (spec.min + spec.max) / 2;
    case 'weighted': {
      const total = spec.sizes.reduce((n, s) => n + s.weight, 0);
      return spec.sizes.reduce((n, s) => n + s.size * s.weight, 0) / total;
    }
  }
}

/** "1000", "100-5000", "200x9/50000x1" (size x weight): for tables and CSV columns. */
export function messageSizeLabel(size: MessageSize): string {
  const spec = messageSizeSpec(size);
  switch (spec.kind) {
    case 'fixed':
      return String(spec.bytes);
    case 'uniform':
      return `${spec.min}-${spec.max}`;
    case 'weighted':
      return spec.sizes.map((s) => `${s.size}x${s.weight}`).join('/');
  }
}

/**
 * Draws one body size per message: fixed, uniform over [min, max] (integers, both ends
 * included) or by weight (a cumulative table searched by bisection). Seeded, so a run id and
 * publisher id give the same sizes again.
 */
export class MessageSizes {
  readonly maxBytes: number;
  private readonly random: () => number;
  private readonly draw: () => number;

  constructor(spec: MessageSizeSpec, seed: number) {
    this.maxBytes = maxMessageBytes(spec);
    this.random = mulberry32(seed);
    this.draw = this.drawer(spec);
  }

  /** A fixed size: callers can skip drawing (and slicing) altogether. */
  static isFixed(spec: MessageSizeSpec): boolean {
    return spec.kind === 'fixed' || (spec.kind === 'uniform' && spec.min === spec.max) || (spec.kind === 'weighted' && spec.sizes.length === 1);
  }

  next(): number {
    return this.draw();
  }

  private drawer(spec: MessageSizeSpec): () => number {
    switch (spec.kind) {
      case 'fixed':
        return () => spec.bytes;
      case 'uniform': {
        const span = spec.max - spec.min + 1;
        return () => spec.min + Math.floor(this.random() * span);
      }
      case 'weighted': {
        const sizes = spec.sizes.map((s) => s.size);
        const cumulative: number[] = [];
        let total = 0;
        for (const s of spec.sizes) cumulative.push((total += s.weight));
        return () => {
          const x = this.random() * total;
          let lo = 0;
          let hi = cumulative.length - 1;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (cumulative[mid]! > x) hi = mid;
            else lo = mid + 1;
          }
          return sizes[lo]!;
        };
      }
    }
  }
}
