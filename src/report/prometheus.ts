import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Registry, type OpenMetricsContentType } from 'prom-client';
import type { DepthSample } from '../engine/depthSampler.js';
import type { TickRecord } from '../engine/ticks.js';

/** Labels on every series: which run, which queue type. */
export interface MetricLabels {
  run: string;
  queue_type: string;
}

const QUANTILES = [0.5, 0.9, 0.99, 0.999] as const;

type NodeLabel = 'run' | 'queue_type' | 'node';

/**
 * Live metrics of a running benchmark for Prometheus (like PerfTest's): OpenMetrics on
 * http://<host>:<port>/metrics, updated once a second from the run's ticks. Counters are
 * cumulative since the start barrier (warm-up included) and labelled with the node the
 * connections were on when it happened; latency gauges hold the quantiles of the last interval
 * (corrected for coordinated omission), in seconds, over all nodes; the backlog gauge holds the
 * last reading of the queues' ready messages. Every name starts with mqbench_.
 */
export class PrometheusExporter {
  private readonly registry = new Registry<OpenMetricsContentType>();
  private readonly server: Server;
  private readonly counters: Record<'published' | 'confirmed' | 'consumed' | 'nacked' | 'returned' | 'republished', Counter<NodeLabel>>;
  private readonly inFlight: Gauge<NodeLabel>;
  private readonly backlog: Gauge<'run' | 'queue_type'>;
  private readonly e2e: Gauge<'run' | 'queue_type' | 'quantile'>;
  private readonly confirm: Gauge<'run' | 'queue_type' | 'quantile'>;
  private readonly phase: Gauge<'run' | 'queue_type' | 'phase'>;
  /** Per node: published + republished − confirmed − nacked − lost in flight, so far. */
  private readonly unconfirmed = new Map<string, number>();

  /** `confirms`: whether publishers use confirms (without, nothing is ever in flight to count). */
  constructor(
    private readonly labels: MetricLabels,
    private readonly confirms = true,
  ) {
    this.registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    const names = ['run', 'queue_type'] as const;
    const nodeNames = [...names, 'node'] as const;
    const counter = (name: string, help: string): Counter<NodeLabel> =>
      new Counter({ name: `mqbench_${name}`, help: `${help}, by the node the connection was on`, labelNames: nodeNames, registers: [this.registry] });
    this.counters = {
      published: counter('published', 'Messages published (first sends)'),
      confirmed: counter('confirmed', 'Publisher confirms (basic.ack) received'),
      consumed: counter('consumed', 'Deliveries of this run\'s messages consumed'),
      nacked: counter('nacked', 'Messages the broker refused (basic.nack)'),
      returned: counter('returned', 'Messages returned as unroutable'),
      republished: counter('republished', 'Copies sent again after a connection loss'),
    };
    this.inFlight = new Gauge({
      name: 'mqbench_in_flight_messages',
      help: 'Published messages with no confirm, nack or loss yet, by the node they were published to',
      labelNames: nodeNames,
      registers: [this.registry],
    });
    this.backlog = new Gauge({
      name: 'mqbench_backlog_messages',
      help: 'Ready messages in the run\'s queues, summed, read about once a second (absent for streams and above 100 queues)',
      labelNames: names,
      registers: [this.registry],
    });
    const latency = (name: string, help: string): Gauge<'run' | 'queue_type' | 'quantile'> =>
      new Gauge({ name: `mqbench_${name}_latency_seconds`, help, labelNames: [...names, 'quantile'], registers: [this.registry] });
    // Histograms are kept per worker thread, not per node: latency has no node label.
    this.e2e = latency('e2e', 'End-to-end latency quantiles over the last interval (from the intended send time), all nodes');
    this.confirm = latency('confirm', 'Publisher-confirm latency quantiles over the last interval (from the intended send time), all nodes');
    this.phase = new Gauge({ name: 'mqbench_phase', help: '1 for the run\'s current phase', labelNames: [...names, 'phase'], registers: [this.registry] });
    this.server = createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end('see /metrics\n');
        return;
      }
      void this.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    });
  }

  /** Listens on host:port (port 0: any free port); resolves with the port, rejects with a one-line reason. */
  listen(port: number, host = '127.0.0.1'): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', (err: NodeJS.ErrnoException) => reject(new Error(`cannot listen on ${host}:${port}: ${err.code ?? err.message}`)));
      this.server.listen(port, host, () => resolve((this.server.address() as AddressInfo).port));
    });
  }

  onTick(r: TickRecord): void {
    const l = this.labels;
    // A record not from the run's collector has no split by node: its counts go under node="".
    for (const [node, c] of r.byNode ?? [['', r.counters] as const]) {
      const nl = { ...l, node };
      for (const key of Object.keys(this.counters) as Array<keyof typeof this.counters>) this.counters[key].inc(nl, c[key]);
      if (this.confirms) {
        // A message lost in flight leaves its node's count; a copy sent again counts on the node it went to.
        const unconfirmed = (this.unconfirmed.get(node) ?? 0) + c.published + c.republished - c.confirmed - c.nacked - c.unconfirmedAtLoss;
        this.unconfirmed.set(node, unconfirmed);
        this.inFlight.set(nl, Math.max(0, unconfirmed));
      }
    }
    for (const q of QUANTILES) {
      const quantile = String(q);
      if (r.latencies.e2eCorrected.totalCount > 0) this.e2e.set({ ...l, quantile }, r.latencies.e2eCorrected.getValueAtPercentile(q * 100) / 1e6);
      if (r.latencies.confirmCorrected.totalCount > 0) this.confirm.set({ ...l, quantile }, r.latencies.confirmCorrected.getValueAtPercentile(q * 100) / 1e6);
    }
    for (const phase of ['warmup', 'measure', 'drain'] as const) this.phase.set({ ...l, phase }, phase === r.phase ? 1 : 0);
  }

  /** A reading of the run's queues: ready messages, summed over them. */
  onDepth(sample: DepthSample): void {
    this.backlog.set(this.labels, sample.depth);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}
