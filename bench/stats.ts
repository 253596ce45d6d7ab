// Timing helpers for the benchmarks: run a function n times after a warm-up, report percentiles.

export interface Timing {
  name: string;
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export async function measure(
  name: string,
  fn: (i: number) => Promise<unknown>,
  opts: { n?: number; warmup?: number } = {},
): Promise<Timing> {
  const n = opts.n ?? 200;
  for (let i = 0; i < (opts.warmup ?? 20); i++) await fn(i);
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    samples.push(performance.now() - t0);
  }
  return timing(name, samples);
}

/** Percentiles of raw samples (ms). */
export function timing(name: string, samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    name,
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1]!,
  };
}

/**
 * Several functions timed in turns (a, b, c, a, b, c...; the order rotates each round) so that a
 * change in the machine's load during the run weighs on all of them alike: for comparisons.
 */
export async function measureInterleaved(
  fns: { name: string; fn: (i: number) => Promise<unknown> }[],
  opts: { n?: number; warmup?: number } = {},
): Promise<Timing[]> {
  const n = opts.n ?? 200;
  for (let i = 0; i < (opts.warmup ?? 20); i++) for (const f of fns) await f.fn(i);
  const samples = fns.map(() => [] as number[]);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < fns.length; k++) {
      const j = (i + k) % fns.length;
      const t0 = performance.now();
      await fns[j]!.fn(i);
      samples[j]!.push(performance.now() - t0);
    }
  }
  return fns.map((f, j) => timing(f.name, samples[j]!));
}

const ms = (v: number) => `${v.toFixed(2).padStart(8)} ms`;

export function printTable(
  title: string,
  rows: Timing[],
  goal?: { label: string; ok: (t: Timing) => boolean },
): void {
  const width = Math.max(...rows.map((r) => r.name.length), 10);
  process.stdout.write(`\n${title}\n`);
  process.stdout.write(
    `  ${"".padEnd(width)}  ${"n".padStart(5)}  ${"p50".padStart(11)}  ${"p95".padStart(11)}  ${"p99".padStart(11)}  ${"max".padStart(11)}${goal ? `  ${goal.label}` : ""}\n`,
  );
  for (const r of rows) {
    process.stdout.write(
      `  ${r.name.padEnd(width)}  ${String(r.n).padStart(5)}  ${ms(r.p50)}  ${ms(r.p95)}  ${ms(r.p99)}  ${ms(r.max)}${goal ? `  ${goal.ok(r) ? "met" : "MISSED"}` : ""}\n`,
    );
  }
}

export function line(text = ""): void {
  process.stdout.write(`${text}\n`);
}

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

function summarise(node: PlanNode): string[] {
  const here = node["Index Name"] ? `${node["Node Type"]} (${node["Index Name"]})` : node["Node Type"];
  return [here, ...(node.Plans ?? []).flatMap(summarise)];
}

/** Postgres' own execution time (median of runs) and plan of a query: no client or scheduling noise. */
export async function explain(
  client: { unsafe: (q: string, params?: never[]) => Promise<unknown> },
  query: { sql: string; params: unknown[] },
  runs = 7,
): Promise<{ executionMs: number; plan: string }> {
  const times: number[] = [];
  let plan = "";
  for (let i = 0; i < runs; i++) {
    const rows = (await client.unsafe(
      `explain (analyze, format json) ${query.sql}`,
      query.params as never[],
    )) as { "QUERY PLAN": [{ Plan: PlanNode; "Execution Time": number }] }[];
    const out = rows[0]!["QUERY PLAN"][0];
    times.push(out["Execution Time"]);
    plan = summarise(out.Plan).join(" > ");
  }
  times.sort((a, b) => a - b);
  return { executionMs: percentile(times, 50), plan };
}
