import { z } from 'zod';
import { DURATION_PATTERN } from './duration.js';

/**
 * The fault timeline of a profile: steps applied to a local cluster mqbench started, at times
 * relative to the start of measurement. Every action that takes something away has an undo:
 * stop/kill → start, pause → resume, partition → heal.
 */
export const FAULT_ACTIONS = ['stop', 'start', 'kill', 'pause', 'resume', 'partition', 'heal'] as const;
export type FaultAction = (typeof FAULT_ACTIONS)[number];

/** Targets resolved when the step runs, from the benchmark queue's members at that moment. */
export const FAULT_TARGET_WORDS = ['leader', 'follower', 'minority', 'majority', 'all-but-leader'] as const;
export type FaultTargetWord = (typeof FAULT_TARGET_WORDS)[number];
export type FaultTarget = FaultTargetWord | number;

/** What each undo action brings back. */
export const UNDO_OF: Partial<Record<FaultAction, readonly FaultAction[]>> = {
  start: ['stop', 'kill'],
  resume: ['pause'],
  heal: ['partition'],
};

const AT_EXPECTED = 'expected a time such as "20s" or "1m30s", relative to the start of measurement';

export const faultStepSchema = z
  .object({
    at: z
      .string({ error: AT_EXPECTED })
      .regex(DURATION_PATTERN, { message: AT_EXPECTED })
      .meta({ description: 'When to apply the step, relative to the start of measurement (after warm-up), e.g. "20s".' }),
    action: z.enum(FAULT_ACTIONS).meta({
      description:
        'stop/start: rabbitmqctl stop_app/start_app. kill: SIGKILL of the node\'s Erlang VM (start boots it again on the same data). ' +
        'pause/resume: SIGSTOP/SIGCONT of the VM. partition/heal: iptables rules cutting the target nodes off from the others.',
    }),
    target: z
      .union([z.enum(FAULT_TARGET_WORDS), z.int().min(1)])
      .meta({
        description:
          'leader, follower, minority (the leader plus followers up to a minority), majority (the other members), all-but-leader — ' +
          'of the first benchmark queue\'s members when the step runs — or a node number (1-based). ' +
          'For start, resume and heal a word means the nodes an earlier step with the same word took down.',
      }),
    count: z.int().min(1).optional().meta({ description: 'Act on only the first N nodes the target resolves to (e.g. start one of two stopped nodes).' }),
    clients: z
      .boolean()
      .optional()
      .meta({ description: 'partition only: also cut client (AMQP) connections to the cut-off nodes, as if mqbench sat on the other side. Default true.' }),
  })
  .strict();

export type FaultStep = z.output<typeof faultStepSchema>;

export const faultsSchema = z
  .array(faultStepSchema)
  .max(100)
  .meta({ description: 'Fault timeline (local clusters mqbench started only): steps applied in order at their times.' });
