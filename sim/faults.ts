// Fault injection for tests: rules that make matching requests fail, slow down, hang or drop the
// connection. Rules live in memory only (a restart or /_sim/reset clears them).
import { ApiError, isObject } from "./http";
import { uuid } from "./ids";

export interface FaultRule {
  id: string;
  /** Service name ("compute", "network", "identity", ...) or "*" for every service. */
  service: string;
  region: string | null;
  method: string | null;
  /** Regular expression tested against the full request path (query string excluded). */
  path: string | null;
  /** Probability (0-1) that a matching request is hit. */
  errorRate: number;
  status: number | null;
  message: string | null;
  latencyMs: number;
  /** Never answer: the client has to give up on its own. */
  timeout: boolean;
  /** Destroy the socket without an answer. */
  drop: boolean;
  /** Hits left before the rule removes itself; null = unlimited. */
  count: number | null;
  hits: number;
}

export type FaultEffect =
  | { kind: "none" }
  | { kind: "latency"; latencyMs: number }
  | { kind: "status"; latencyMs: number; status: number; message: string }
  | { kind: "timeout"; latencyMs: number }
  | { kind: "drop"; latencyMs: number };

export interface FaultTarget {
  service: string;
  region: string;
  method: string;
  path: string;
}

function bad(message: string): ApiError {
  return new ApiError(400, message);
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  private readonly compiled = new Map<string, RegExp>();

  constructor(
    private readonly services: readonly string[],
    private readonly random: () => number = Math.random,
  ) {}

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  clear(): void {
    this.rules = [];
    this.compiled.clear();
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    this.compiled.delete(id);
    return this.rules.length !== before;
  }

  /** Validates and adds a rule given as JSON; raises a 400 ApiError on bad input. */
  add(input: unknown): FaultRule {
    if (!isObject(input)) throw bad("a fault rule must be a JSON object");
    const known = [
      "service",
      "region",
      "method",
      "path",
      "errorRate",
      "status",
      "message",
      "latencyMs",
      "timeout",
      "drop",
      "count",
    ];
    const extra = Object.keys(input).filter((k) => !known.includes(k));
    if (extra.length > 0) throw bad(`unknown fault rule field(s): ${extra.join(", ")}`);
    const service = input.service;
    if (typeof service !== "string" || (service !== "*" && !this.services.includes(service))) {
      throw bad(`"service" must be one of ${["*", ...this.services].join(", ")}`);
    }
    const optString = (key: string): string | null => {
      const v = input[key];
      if (v === undefined || v === null) return null;
      if (typeof v !== "string" || v.length === 0) throw bad(`"${key}" must be a non-empty string`);
      return v;
    };
    const optNumber = (key: string, min: number, max: number): number | null => {
      const v = input[key];
      if (v === undefined || v === null) return null;
      if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max)
        throw bad(`"${key}" must be a number from ${min} to ${max}`);
      return v;
    };
    const optBool = (key: string): boolean => {
      const v = input[key];
      if (v === undefined || v === null) return false;
      if (typeof v !== "boolean") throw bad(`"${key}" must be a boolean`);
      return v;
    };
    const path = optString("path");
    if (path !== null) {
      try {
        new RegExp(path);
      } catch {
        throw bad(`"path" is not a valid regular expression: ${path}`);
      }
    }
    const status = optNumber("status", 400, 599);
    if (status !== null && !Number.isInteger(status)) throw bad(`"status" must be an integer`);
    const count = optNumber("count", 1, Number.MAX_SAFE_INTEGER);
    if (count !== null && !Number.isInteger(count)) throw bad(`"count" must be an integer`);
    const latencyMs = optNumber("latencyMs", 0, 600_000) ?? 0;
    const timeout = optBool("timeout");
    const drop = optBool("drop");
    if (timeout && drop) throw bad(`"timeout" and "drop" exclude each other`);
    // A rule with nothing but latency only slows requests down; otherwise it fails them (503 by default).
    const latencyOnly = status === null && !timeout && !drop && latencyMs > 0;
    const rule: FaultRule = {
      id: uuid(),
      service,
      region: optString("region"),
      method: optString("method")?.toUpperCase() ?? null,
      path,
      errorRate: optNumber("errorRate", 0, 1) ?? 1,
      status: latencyOnly || timeout || drop ? status : (status ?? 503),
      message: optString("message"),
      latencyMs,
      timeout,
      drop,
      count,
      hits: 0,
    };
    this.rules.push(rule);
    return { ...rule };
  }

  /** Decides what happens to one request; the first matching rule that fires wins. */
  decide(target: FaultTarget): FaultEffect {
    for (const rule of this.rules) {
      if (rule.service !== "*" && rule.service !== target.service) continue;
      if (rule.region !== null && rule.region !== target.region) continue;
      if (rule.method !== null && rule.method !== target.method) continue;
      if (rule.path !== null && !this.regex(rule).test(target.path)) continue;
      if (rule.errorRate < 1 && this.random() >= rule.errorRate) continue;
      rule.hits += 1;
      if (rule.count !== null) {
        rule.count -= 1;
        if (rule.count <= 0) this.remove(rule.id);
      }
      const latencyMs = rule.latencyMs;
      if (rule.drop) return { kind: "drop", latencyMs };
      if (rule.timeout) return { kind: "timeout", latencyMs };
      if (rule.status !== null) {
        return {
          kind: "status",
          latencyMs,
          status: rule.status,
          message: rule.message ?? `Simulated fault: ${target.service} answered ${rule.status}.`,
        };
      }
      return { kind: "latency", latencyMs };
    }
    return { kind: "none" };
  }

  private regex(rule: FaultRule): RegExp {
    let re = this.compiled.get(rule.id);
    if (!re) {
      re = new RegExp(rule.path ?? "");
      this.compiled.set(rule.id, re);
    }
    return re;
  }
}
