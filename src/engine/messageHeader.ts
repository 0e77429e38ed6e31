/**
 * The fixed binary header at the start of every message body:
 *   0  u32  magic "MQB2" (format version)
 *   4  u32  run id: random per run, so messages of an earlier run or another producer are told apart
 *   8  u32  publisher id
 *  12  u32  flags (bit 0: a copy re-published after a connection loss)
 *  16  f64  sequence number
 *  24  f64  actual send time, µs on the process-wide monotonic clock
 *  32  f64  intended send time, µs (equals actual send time when no rate is set)
 * The rest of the body is padding up to messageSize.
 */
export const MESSAGE_HEADER_BYTES = 40;
export const HEADER_MAGIC = 0x3242514d; // "MQB2" read as a little-endian u32
export const FLAG_REPUBLISHED = 1;

export interface MessageHeader {
  runId: number;
  publisherId: number;
  flags: number;
  sequence: number;
  sentAtUs: number;
  intendedAtUs: number;
}

export function writeHeader(body: Buffer, h: MessageHeader): void {
  body.writeUInt32LE(HEADER_MAGIC, 0);
  body.writeUInt32LE(h.runId, 4);
  body.writeUInt32LE(h.publisherId, 8);
  body.writeUInt32LE(h.flags, 12);
  body.writeDoubleLE(h.sequence, 16);
  body.writeDoubleLE(h.sentAtUs, 24);
  body.writeDoubleLE(h.intendedAtUs, 32);
}

/** A random non-zero 32-bit run id. */
export function newRunId(): number {
  return (Math.floor(Math.random() * 0xffffffff) >>> 0) || 1;
}

/** Header fields read one at a time, without building an object: the consumer's per-message path. */
export const headerField = {
  /** True when the body carries an mqbench header of the given run. */
  isOurs: (body: Buffer, runId: number): boolean =>
    body.length >= MESSAGE_HEADER_BYTES && body.readUInt32LE(0) === HEADER_MAGIC && body.readUInt32LE(4) === runId,
  publisherId: (body: Buffer): number => body.readUInt32LE(8),
  flags: (body: Buffer): number => body.readUInt32LE(12),
  sequence: (body: Buffer): number => body.readDoubleLE(16),
  sentAtUs: (body: Buffer): number => body.readDoubleLE(24),
  intendedAtUs: (body: Buffer): number => body.readDoubleLE(32),
};
