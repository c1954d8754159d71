import autocannon from "autocannon";

export interface LoadResult {
  p50: number;
  p95: number;
  throughput: number;
  requests: number;
  /** Every request that did not get a good answer: the sum of the three below. */
  errors: number;
  /** Connection errors and timeouts. */
  transportErrors: number;
  /** Answers with a status of 400 or more. */
  statusErrors: number;
  /** 200 answers that carried GraphQL errors, or a mutation's non-empty userErrors. */
  answerErrors: number;
  /** The first failed answer's status and body, cut short: what a refused run says went wrong. */
  firstError?: string;
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
 * A GraphQL answer that says something went wrong: top-level errors, or a mutation refused with userErrors. A's
 * plain answers are JSON rows and never carry either key.
 */
const carriesErrors = (body: string) => body.includes('"errors":[{') || body.includes('"userErrors":[{');

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
    let statusErrors = 0;
    let answerErrors = 0;
    let firstError: string | undefined;
    const onResponse = (status: number, body: string) => {
      const failed = status >= 400 || carriesErrors(body);
      if (!failed) return;
      if (status >= 400) statusErrors += 1;
      else answerErrors += 1;
      firstError ??= `${status} ${body.slice(0, 300)}`;
    };
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
          ? { requests: [{ onResponse }] }
          : {
              requests: [
                {
                  onResponse,
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
          errors: result.errors + statusErrors + answerErrors,
          transportErrors: result.errors,
          statusErrors,
          answerErrors,
          ...(firstError === undefined ? {} : { firstError }),
        });
      },
    );
    instance.on("response", (_client: unknown, _status: number, _bytes: number, ms: number) => {
      latencies.push(ms);
    });
  });
}
