export interface Round {
  /** Messages delivered per second, from the first publish to the last arrival. */
  readonly ratePerSecond: number;
  /** Publish-to-receive latency in milliseconds. */
  readonly p50: number;
  readonly p99: number;
  /** The server process's CPU time per delivered message, in microseconds. */
  readonly cpuUsPerMessage: number;
  readonly executionsPerEvent?: number;
  /** Events per batch the hub's event tail fanned out (EVENT_BATCH_WAIT_MS batches a burst). */
  readonly eventsPerFanOut?: number;
  /** The publish mutation's own round trip (the hub only), median. */
  readonly publishP50?: number;
}

export interface SizeResult {
  readonly subscribers: number;
  /** Events per burst, and bursts per round. */
  readonly burst: number;
  readonly bursts: number;
  readonly hub: Round;
  readonly bare: Round;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Medians of each figure over the rounds. */
export function summarize(subscribers: number, burst: number, bursts: number, hub: Round[], bare: Round[]): SizeResult {
  const of = (rounds: Round[]): Round => ({
    ratePerSecond: median(rounds.map((r) => r.ratePerSecond)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    cpuUsPerMessage: median(rounds.map((r) => r.cpuUsPerMessage)),
    ...(rounds[0]?.executionsPerEvent !== undefined ? { executionsPerEvent: median(rounds.map((r) => r.executionsPerEvent!)) } : {}),
    ...(rounds[0]?.eventsPerFanOut !== undefined ? { eventsPerFanOut: median(rounds.map((r) => r.eventsPerFanOut!)) } : {}),
    ...(rounds[0]?.publishP50 !== undefined ? { publishP50: median(rounds.map((r) => r.publishP50!)) } : {}),
  });
  return { subscribers, burst, bursts, hub: of(hub), bare: of(bare) };
}

const GOALS: Record<number, number> = { 1000: 100, 5000: 500 };

export function printTable(results: SizeResult[], payloadBytes: number): void {
  const fmt = (n: number, digits = 0) => n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  console.log(`\nFan-out, medians (message: ${payloadBytes} bytes; hub = GraphQL subscription on PostgreSQL, bare = ws broadcast)\n`);
  console.log('| subscribers | bursts × events | hub msgs/s | hub p50 ms | hub p99 ms | hub publish p50 ms | hub CPU µs/msg | bare msgs/s | bare p50 ms | bare p99 ms | bare CPU µs/msg | hub/bare rate | executions/event | events/fan-out |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    console.log(`| ${fmt(r.subscribers)} | ${r.bursts} × ${r.burst} | ${fmt(r.hub.ratePerSecond)} | ${fmt(r.hub.p50, 1)} | ${fmt(r.hub.p99, 1)} | ${fmt(r.hub.publishP50 ?? NaN, 1)} | ${fmt(r.hub.cpuUsPerMessage, 1)} | `
      + `${fmt(r.bare.ratePerSecond)} | ${fmt(r.bare.p50, 1)} | ${fmt(r.bare.p99, 1)} | ${fmt(r.bare.cpuUsPerMessage, 1)} | ${fmt(r.hub.ratePerSecond / r.bare.ratePerSecond, 2)} | ${fmt(r.hub.executionsPerEvent ?? NaN, 2)} | ${fmt(r.hub.eventsPerFanOut ?? NaN, 1)} |`);
  }
  console.log('\nLatency runs from each publish request\'s start to each arrival; "publish" is the publish mutation\'s own round trip.'
    + ' Rate: messages delivered per second of burst (first publish to last arrival).'
    + ' CPU: the server process\'s user + system time over the bursts per delivered message (the hub\'s includes its publishes).');
  console.log('\nGoals:');
  for (const r of results) {
    const goal = GOALS[r.subscribers];
    if (goal !== undefined) console.log(`  ${r.subscribers} subscribers: p99 ${fmt(r.hub.p99, 1)} ms (goal < ${goal} ms) ${r.hub.p99 < goal ? 'met' : 'NOT met'}`);
  }
  for (const r of results.filter((x) => x.subscribers >= 1000)) {
    const ratio = r.hub.ratePerSecond / r.bare.ratePerSecond;
    console.log(`  ${r.subscribers} subscribers: delivery rate ${fmt(ratio, 2)} of the bare broadcast (goal >= 0.25) ${ratio >= 0.25 ? 'met' : 'NOT met'}`);
  }
}
