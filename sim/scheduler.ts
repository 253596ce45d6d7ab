// Timer-driven asynchronous transitions (BUILD→ACTIVE, creating→available, ...). Pending
// transitions live in the persisted state with absolute due times, so a restart resumes them.
import type { Transition } from "./model";
import type { Store } from "./state";
import { uuid } from "./ids";

export type TransitionHandler = (t: Transition) => void;

export class Scheduler {
  private readonly handlers = new Map<string, TransitionHandler>();
  private timer: NodeJS.Timeout | null = null;
  private armedFor = Number.POSITIVE_INFINITY;
  private stopped = false;

  constructor(private readonly store: Store) {}

  register(kind: string, handler: TransitionHandler): void {
    this.handlers.set(kind, handler);
  }

  schedule(
    kind: string,
    region: string,
    target: string,
    delayMs: number,
    data: Record<string, unknown> = {},
  ): string {
    const t: Transition = { id: uuid(), due: Date.now() + Math.max(0, delayMs), kind, region, target, data };
    this.store.state.transitions.push(t);
    this.store.changed();
    this.arm();
    return t.id;
  }

  /** Drops pending transitions of one resource (e.g. when it is deleted outright). */
  cancel(target: string): void {
    const before = this.store.state.transitions.length;
    this.store.state.transitions = this.store.state.transitions.filter((t) => t.target !== target);
    if (this.store.state.transitions.length !== before) this.store.changed();
  }

  start(): void {
    this.stopped = false;
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.armedFor = Number.POSITIVE_INFINITY;
  }

  /** Re-reads the pending list, e.g. after the state was replaced by a reset. */
  rearm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.armedFor = Number.POSITIVE_INFINITY;
    this.arm();
  }

  private arm(): void {
    if (this.stopped) return;
    let next = Number.POSITIVE_INFINITY;
    for (const t of this.store.state.transitions) next = Math.min(next, t.due);
    if (next === Number.POSITIVE_INFINITY || next >= this.armedFor) return;
    if (this.timer) clearTimeout(this.timer);
    this.armedFor = next;
    this.timer = setTimeout(() => this.fire(), Math.max(0, next - Date.now()));
    this.timer.unref();
  }

  private fire(): void {
    this.timer = null;
    this.armedFor = Number.POSITIVE_INFINITY;
    const now = Date.now();
    const due = this.store.state.transitions.filter((t) => t.due <= now).sort((a, b) => a.due - b.due);
    if (due.length > 0) {
      const ids = new Set(due.map((t) => t.id));
      this.store.state.transitions = this.store.state.transitions.filter((t) => !ids.has(t.id));
      for (const t of due) {
        const handler = this.handlers.get(t.kind);
        try {
          handler?.(t);
        } catch (err) {
          // A broken transition must not stop the clock for every other resource.
          console.error(`[sim] transition ${t.kind} for ${t.target} failed`, err);
        }
      }
      this.store.changed();
    }
    this.arm();
  }
}
