type Sample = number | Promise<number>;

interface Gauge {
  readonly name: string;
  readonly help: string;
  readonly read: () => Sample;
}

/**
 * What components need to report: gauges read at scrape time, counters, and a per-scrape
 * cache. Domain, search and webhook modules take this type; only the composition root
 * creates one.
 */
export interface Metrics {
  gauge(name: string, help: string, read: () => Sample): void;
  /**
   * `read` run at most once per scrape, for gauges that report parts of one query's answer
   * (a consumer's position, the log head and the lag between them).
   */
  perScrape<T>(read: () => Promise<T>): () => Promise<T>;
  increment(name: string, help: string, by?: number): void;
  /** The Prometheus text exposition of every counter and gauge. */
  render(): Promise<string>;
}

/**
 * A small Prometheus text-format registry. Components register gauges that are read at
 * scrape time, so nothing is computed unless someone asks.
 */
export function createMetrics(): Metrics {
  const gauges: Gauge[] = [];
  const counters = new Map<string, { help: string; value: number }>();
  let scrape = 0;
  return {
    gauge(name: string, help: string, read: () => Sample): void {
      gauges.push({ name, help, read });
    },
    perScrape<T>(read: () => Promise<T>): () => Promise<T> {
      let cached: { scrape: number; value: Promise<T> } | undefined;
      return () => {
        if (cached?.scrape !== scrape) cached = { scrape, value: read() };
        return cached.value;
      };
    },
    increment(name: string, help: string, by = 1): void {
      const counter = counters.get(name) ?? { help, value: 0 };
      counter.value += by;
      counters.set(name, counter);
    },
    async render(): Promise<string> {
      scrape++;
      const lines: string[] = [];
      for (const [name, { help, value }] of counters) {
        lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${value}`);
      }
      for (const gauge of gauges) {
        let value: number;
        try {
          value = await gauge.read();
        } catch {
          value = Number.NaN;
        }
        lines.push(`# HELP ${gauge.name} ${gauge.help}`, `# TYPE ${gauge.name} gauge`, `${gauge.name} ${value}`);
      }
      return lines.join('\n') + '\n';
    },
  };
}
