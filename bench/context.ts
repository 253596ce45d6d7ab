// A request context for the benchmarks, as the HTTP layer builds it (grants filled in by the caller).
import { randomUUID } from "node:crypto";
import { getDb } from "@/db/client";
import type { Context } from "@/server/context";
import type { Principal } from "@/server/iam/access";

export function contextForBench(principal: Principal): Context {
  const requestId = randomUUID();
  return {
    db: getDb(),
    requestId,
    principal,
    grants: null,
    authError: null,
    idempotencyKey: null,
    actor: {
      userId: principal.userId,
      email: principal.email,
      type: "user",
      requestId,
      ip: "127.0.0.1",
      userAgent: "bench",
      audit: { written: false },
    },
  };
}
