// The reconciler: per region, one leader across all worker replicas (a session-level Postgres
// advisory lock on a reserved connection) compares desired and actual state on a period.
// Kinds register a reconcile step; each correction is audited by the step itself.
import type { Db } from "@/db/client";
import { log } from "@/server/log";

export interface ReconcileContext {
  db: Db;
  region: string;
  /** The time the pass started, for "not seen since" decisions. */
  startedAt: Date;
}

export interface KindReconciler {
  kind: string;
  reconcile(ctx: ReconcileContext): Promise<{ checked: number; corrected: number }>;
}

const reconcilers: KindReconciler[] = [];

export function registerReconciler(r: KindReconciler): void {
  if (!reconcilers.some((x) => x.kind === r.kind)) reconcilers.push(r);
}

export interface ReconcilerHandle {
  /** Runs one pass now in every region this process leads (tests and "refresh" buttons). */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

export async function startReconciler(
  db: Db,
  regions: () => string[],
  opts: { periodMs?: number } = {},
): Promise<ReconcilerHandle> {
  const period = opts.periodMs ?? 30_000;
  const conn = await db.$client.reserve();
  const led = new Set<string>();
  let running: Promise<void> | null = null;
  let stopped = false;

  async function lead(region: string): Promise<boolean> {
    if (led.has(region)) return true;
    const [row] = await conn<
      { ok: boolean }[]
    >`select pg_try_advisory_lock(hashtext(${"cirrus-reconciler:" + region})) as ok`;
    if (row?.ok) {
      led.add(region);
      log.info("reconciler leader", { region });
    }
    return Boolean(row?.ok);
  }

  async function pass(): Promise<void> {
    for (const region of regions()) {
      if (stopped || !(await lead(region))) continue;
      for (const r of reconcilers) {
        const startedAt = new Date();
        try {
          const res = await r.reconcile({ db, region, startedAt });
          if (res.corrected > 0)
            log.info("reconciled", { region, kind: r.kind, ...res, ms: Date.now() - startedAt.getTime() });
        } catch (e) {
          log.warn("reconcile pass failed", { region, kind: r.kind, error: e });
        }
      }
    }
  }

  const runOnce = () => {
    running ??= pass().finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => void runOnce(), period);
  timer.unref();
  void runOnce();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      for (const region of led)
        await conn`select pg_advisory_unlock(hashtext(${"cirrus-reconciler:" + region}))`.catch(
          () => undefined,
        );
      conn.release();
    },
  };
}
