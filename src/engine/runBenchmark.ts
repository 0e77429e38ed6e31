import type { AmqpClient, BrokerInfo } from '../amqp/client.js';
import { amqplibClient } from '../amqp/amqplibClient.js';
import type { Profile } from '../profile/schema.js';
import { Coordinator, type RunOutcome } from './coordinator.js';
import { planRun, type RunPlan } from './plan.js';
import { finishQueues, prepareQueues } from './queueSetup.js';

export interface BenchmarkRun {
  plan: RunPlan;
  coordinator: Coordinator;
  /** Resolves with what was measured; rejects only when queues could not be set up (nothing measured). */
  outcome: Promise<{ outcome: RunOutcome; setupBroker: BrokerInfo }>;
}

/**
 * One benchmark from a validated profile: declare queues, let the coordinator run the agents,
 * then apply queues.onEnd. The coordinator is returned at once so callers can attach progress
 * and abort it (Ctrl-C) while it runs.
 */
export function startBenchmark(profile: Profile, client: AmqpClient = amqplibClient): BenchmarkRun {
  const plan = planRun(profile);
  const coordinator = new Coordinator(plan);
  const outcome = (async () => {
    const setupBroker = await prepareQueues(client, profile, plan.queues);
    const measured = await coordinator.run();
    const teardownProblem = await finishQueues(client, profile, plan.queues);
    if (teardownProblem) measured.error ??= teardownProblem;
    return { outcome: measured, setupBroker };
  })();
  return { plan, coordinator, outcome };
}
