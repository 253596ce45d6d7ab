// Pieces every regional service shares: the authenticated per-request context, project
// visibility rules, and list pagination/sorting helpers.
import { requireAuth } from "../auth";
import type { AuthContext } from "../auth";
import type { ServiceCall, SimCore } from "../core";
import { asText, type ApiError, isObject, readJson } from "../http";
import type { SimRequest } from "../http";
import type { RegionState } from "../model";

export interface RegionCtx {
  core: SimCore;
  req: SimRequest;
  region: string;
  /** Absolute URL of the service mount, e.g. http://127.0.0.1:8790/region-one/network. */
  root: string;
  rs: RegionState;
  auth: AuthContext;
}

export function regionContext(call: ServiceCall): RegionCtx {
  const auth = requireAuth(call.core, call.req);
  return {
    core: call.core,
    req: call.req,
    region: call.region,
    root: call.root,
    rs: call.core.store.region(call.region),
    auth,
  };
}

/** The project a request acts in; services answer 403 to tokens that are not project-scoped. */
export function projectOf(ctx: RegionCtx, onMissing: () => ApiError): string {
  if (ctx.auth.projectId === null) throw onMissing();
  return ctx.auth.projectId;
}

export function owns(ctx: RegionCtx, projectId: string): boolean {
  return ctx.auth.isAdmin || projectId === ctx.auth.projectId;
}

export function jsonBody(ctx: RegionCtx, onBad: () => ApiError): Record<string, unknown> {
  const parsed = readJson(ctx.req, onBad);
  if (!isObject(parsed)) throw onBad();
  return parsed;
}

export function intParam(value: string | null, onBad: (v: string) => ApiError): number | undefined {
  if (value === null) return undefined;
  if (!/^\d+$/.test(value)) throw onBad(value);
  return Number(value);
}

/** Ordering helper: compares by several keys, each ascending or descending. */
export function compareBy<T>(keys: { get: (row: T) => unknown; desc: boolean }[]): (a: T, b: T) => number {
  return (a, b) => {
    for (const k of keys) {
      const av = k.get(a);
      const bv = k.get(b);
      let c = 0;
      if (av === bv) c = 0;
      else if (av === null || av === undefined) c = -1;
      else if (bv === null || bv === undefined) c = 1;
      else if (typeof av === "number" && typeof bv === "number") c = av - bv;
      else c = asText(av) < asText(bv) ? -1 : 1;
      if (c !== 0) return k.desc ? -c : c;
    }
    return 0;
  };
}

export function touch(core: SimCore): void {
  core.store.changed();
}
