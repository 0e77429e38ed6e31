/**
 * The fixed binary header at the start of every message body:
 *   0  u32  publisher id
 *   4  u32  reserved (0)
 *   8  f64  sequence number
 *  16  f64  actual send time, µs on the process-wide monotonic clock
 *  24  f64  intended send time, µs (equals actual send time when no rate is set)
 * The rest of the body is padding up to messageSize.
 */
export const MESSAGE_HEADER_BYTES = 32;

export interface MessageHeader {
  publisherId: number;
  sequence: number;
  sentAtUs: number;
  intendedAtUs: number;
}

export function writeHeader(body: Buffer, h: MessageHeader): void {
  body.writeUInt32LE(h.publisherId, 0);
  body.writeUInt32LE(0, 4);
  body.writeDoubleLE(h.sequence, 8);
  body.writeDoubleLE(h.sentAtUs, 16);
  body.writeDoubleLE(h.intendedAtUs, 24);
}

/** Header fields read one at a time, without building an object: the consumer's per-message path. */
export const headerField = {
  isMqbench: (body: Buffer): boolean => body.length >= MESSAGE_HEADER_BYTES,
  publisherId: (body: Buffer): number => body.readUInt32LE(0),
  sequence: (body: Buffer): number => body.readDoubleLE(8),
  sentAtUs: (body: Buffer): number => body.readDoubleLE(16),
  intendedAtUs: (body: Buffer): number => body.readDoubleLE(24),
};
