// The registry of job kinds: each names its steps (shown to users) and runs them in order.
// Steps must be idempotent: a retry or a second worker starts again at the first unfinished one.
import type { Tx } from "@/db/client";
import type { JobRow } from "../jobs";
import { catalogWorkflows } from "./catalog";
import { computeWorkflows } from "./compute";
import { projectWorkflows } from "./project";

export interface StepContext {
  job: JobRow;
  /** Outputs of the steps already done, by step name. */
  outputs: Record<string, Record<string, unknown>>;
  /** Extends the job's lease; long steps call it while they poll upstream. */
  heartbeat: () => Promise<void>;
}

export interface Workflow {
  kind: string;
  /** Human name, e.g. "Provision project". */
  title: string;
  steps: { name: string; run(ctx: StepContext): Promise<Record<string, unknown> | void> }[];
  /** In the transaction that marks the job SUCCEEDED. */
  onSuccess?(tx: Tx, job: JobRow, outputs: StepContext["outputs"]): Promise<void>;
  /** In the transaction that marks the job FAILED (reservations are released by the runner). */
  onFailure?(tx: Tx, job: JobRow, error: string): Promise<void>;
}

const registry = new Map<string, Workflow>();

export function registerWorkflow(w: Workflow): void {
  registry.set(w.kind, w);
}

for (const w of [...projectWorkflows, ...computeWorkflows, ...catalogWorkflows]) registerWorkflow(w);

export function getWorkflow(kind: string): Workflow | undefined {
  return registry.get(kind);
}

export function workflowSteps(kind: string): string[] {
  const w = registry.get(kind);
  if (!w) throw new Error(`unknown job kind ${kind}`);
  return w.steps.map((s) => s.name);
}
