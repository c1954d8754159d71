import autocannon from "autocannon";

export interface LoadResult {
  p50: number;
  p95: number;
  throughput: number;
  requests: number;
  errors: number;
}

export interface LoadTarget {
  url: string;
  method: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

/**
 * Drives one target with autocannon for a fixed time and reports exact percentiles from every response's
 * latency (autocannon's own summary has p90 and p97.5, not p95).
 */
export function drive(
  target: LoadTarget | ((i: number) => LoadTarget),
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    let errors = 0;
    // a function gives every request its own target (writes need fresh lot codes, spread depots)
    const fixed = typeof target === "function" ? null : target;
    const first = fixed ?? (target as (i: number) => LoadTarget)(0);
    let n = 0;
    const instance = autocannon(
      {
        url: first.url,
        method: first.method,
        headers: first.headers,
        body: first.body,
        connections,
        duration: seconds,
        ...(fixed
          ? {}
          : {
              requests: [
                {
                  setupRequest: (req: autocannon.Request) => {
                    const t = (target as (i: number) => LoadTarget)(n++);
                    const u = new URL(t.url);
                    return {
                      ...req,
                      method: t.method,
                      path: u.pathname + u.search,
                      headers: t.headers,
                      body: t.body,
                    };
                  },
                },
              ],
            }),
      },
      (err, result) => {
        if (err) return reject(err);
        latencies.sort((a, b) => a - b);
        resolve({
          p50: percentile(latencies, 50),
          p95: percentile(latencies, 95),
          throughput: result.requests.total / seconds,
          requests: result.requests.total,
          errors: errors + result.errors + result.non2xx,
        });
      },
    );
    instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status >= 400) errors += 1;
      latencies.push(ms);
    });
  });
}
