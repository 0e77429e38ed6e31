import { z } from 'zod';
import { MESSAGE_HEADER_BYTES } from '../engine/messageHeader.js';
import { parseDurationMs } from './duration.js';
import { durationSchema } from './durationSchema.js';

/** Largest message body mqbench sends (RabbitMQ's own limit is 128 MiB by default too). */
export const MAX_MESSAGE_BYTES = 128 * 1024 * 1024;

const sizeBytes = z.int().min(MESSAGE_HEADER_BYTES).max(MAX_MESSAGE_BYTES);

const weightedSizeSchema = z
  .object({
    size: sizeBytes.meta({ description: 'Body size in bytes.' }),
    weight: z.number().gt(0).meta({ description: 'Relative frequency of this size (> 0); weights need not add up to anything.' }),
  })
  .strict();

/** `{min, max}` or `{weighted}`: one object with a rule, so errors name the field inside it (as rate schedules do). */
const sizeDistributionSchema = z
  .object({
    min: sizeBytes.optional().meta({ description: 'Smallest body size in bytes (uniform between min and max).' }),
    max: sizeBytes.optional().meta({ description: 'Largest body size in bytes.' }),
    weighted: z
      .array(weightedSizeSchema)
      .min(1)
      .max(1000)
      .optional()
      .meta({ description: 'Sizes drawn with these relative weights, e.g. [{"size": 200, "weight": 9}, {"size": 50000, "weight": 1}].' }),
  })
  .strict()
  .superRefine((d, ctx) => {
    const uniform = d.min !== undefined || d.max !== undefined;
    if (uniform && d.weighted !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'set either "min" and "max" or "weighted", not both', params: { showValue: false } });
    } else if (!uniform && d.weighted === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a size distribution needs "min" and "max", or "weighted"', params: { showValue: false } });
    } else if (uniform && (d.min === undefined || d.max === undefined)) {
      ctx.addIssue({ code: 'custom', path: [d.min === undefined ? 'min' : 'max'], message: 'missing: a uniform size distribution needs both "min" and "max"' });
    } else if (d.min !== undefined && d.max !== undefined && d.min > d.max) {
      ctx.addIssue({ code: 'custom', path: ['min'], message: `must be <= max (${d.max})` });
    }
  });

export const MESSAGE_SIZE_EXPECTED = `expected a size in bytes (an integer between ${MESSAGE_HEADER_BYTES} and ${MAX_MESSAGE_BYTES}) or a distribution ({"min": …, "max": …} or {"weighted": [...]})`;

/** `publishers.messageSize`: one size, or a distribution drawn per message from a seeded generator. */
export const messageSizeSchema = z.union([sizeBytes, sizeDistributionSchema], { error: MESSAGE_SIZE_EXPECTED }).meta({
  description:
    `Message body size in bytes (at least ${MESSAGE_HEADER_BYTES}, the mqbench header). Or a distribution drawn per message (seeded by the run id and publisher, so a run can be replayed): ` +
    '{"min": 100, "max": 10000} (uniform) or {"weighted": [{"size": 200, "weight": 9}, {"size": 50000, "weight": 1}]}.',
});

export type MessageSize = z.output<typeof messageSizeSchema>;

export const messageHeadersSchema = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
  .meta({ description: 'AMQP headers (string, number or boolean values) sent with every message, e.g. {"tenant": "a", "version": 2}.' });

export const priorityDescription =
  'AMQP priority (0-255) of every message. Only classic queues declared with x-max-priority (queues.arguments) honour it; higher values count as that maximum.';

/** `consumers.processingDelay`: a fixed duration or a uniform {min, max}. */
const delayRangeSchema = z
  .object({
    min: durationSchema.meta({ description: 'Shortest processing time.' }),
    max: durationSchema.meta({ description: 'Longest processing time.' }),
  })
  .strict()
  .superRefine((d, ctx) => {
    const min = parseDurationMs(d.min);
    const max = parseDurationMs(d.max);
    if (min !== undefined && max !== undefined && min > max) ctx.addIssue({ code: 'custom', path: ['min'], message: `must be <= max (${d.max})` });
  });

export const PROCESSING_DELAY_EXPECTED = 'expected a duration such as "20ms" or {"min": "5ms", "max": "50ms"}';

export const processingDelaySchema = z.union([durationSchema, delayRangeSchema], { error: PROCESSING_DELAY_EXPECTED }).meta({
  description:
    'Time each delivery takes to process (like PerfTest --consumer-latency), or {"min", "max"} drawn uniformly per delivery: a consumer processes one delivery ' +
    'at a time and acks it when done, so prefetch bounds how many wait. Deliveries are counted and timed when they arrive, so end-to-end latency does not include ' +
    'the processing time. Needs ack "manual" or "multiple"; not with consumers.rate.',
});

export type ProcessingDelay = z.output<typeof processingDelaySchema>;

/** Processing delay bounds in ms; a fixed delay has min = max. */
export function processingDelayMs(delay: ProcessingDelay | undefined): { min: number; max: number } | null {
  if (delay === undefined) return null;
  if (typeof delay === 'string') {
    const ms = parseDurationMs(delay) ?? 0;
    return ms > 0 ? { min: ms, max: ms } : null;
  }
  return { min: parseDurationMs(delay.min) ?? 0, max: parseDurationMs(delay.max) ?? 0 };
}

interface ShapeChecked {
  queues: { type: string; arguments: Record<string, string | number | boolean> };
  publishers: { priority?: number | undefined };
  consumers: { rate: number; ack: string; processingDelay?: ProcessingDelay | undefined };
}

/** Rules across sections: a priority needs a priority queue; a processing delay needs acks and excludes a consumer rate. */
export function checkMessageShape(p: ShapeChecked, addIssue: (path: PropertyKey[], message: string) => void): void {
  if (p.publishers.priority !== undefined) {
    if (p.queues.type === 'quorum') {
      addIssue(['publishers', 'priority'], 'priority queues are classic only: quorum queues ignore message priorities');
    } else if (p.queues.arguments['x-max-priority'] === undefined) {
      addIssue(['publishers', 'priority'], 'has no effect without a priority queue: set queues.arguments {"x-max-priority": N}');
    }
  }
  if (p.consumers.processingDelay !== undefined) {
    if (p.consumers.rate > 0) addIssue(['consumers', 'processingDelay'], 'set either consumers.rate or consumers.processingDelay, not both');
    if (p.consumers.ack === 'auto') {
      addIssue(['consumers', 'processingDelay'], 'a slow consumer needs ack "manual" or "multiple": with auto-ack the broker ignores prefetch and would flood it');
    }
  }
}
