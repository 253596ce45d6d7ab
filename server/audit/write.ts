// Writes audit events inside the caller's transaction and chains each to its predecessor in the
// same organisation: hash = sha256(prevHash + canonical row). A per-chain advisory lock orders writers.
import { createHash } from "node:crypto";
import { desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { notify } from "@/server/realtime/notify";
import type { Actor } from "./actor";

export type Outcome = "success" | "failure" | "denied";

export interface AuditInput {
  action: string;
  orgId: string | null;
  projectId?: string | null;
  target?: { kind: string; id?: string | null; name?: string | null };
  outcome?: Outcome;
  errorCode?: string | null;
  message?: string | null;
  data?: Record<string, unknown>;
}

export const GENESIS = "0".repeat(64);
const SECRET_KEY = /pass(word)?|secret|token|private.?key|credential|authorization|cookie/i;

/** Secrets never reach the log: any key that looks like one is replaced. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        SECRET_KEY.test(k) ? "[redacted]" : redact(v),
      ]),
    );
  }
  return value;
}

/** JSON with sorted keys, so the hash does not depend on jsonb's key order. */
export function canonical(value: unknown): string {
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
}

export type HashedFields = Omit<typeof auditEvents.$inferSelect, "id" | "hash" | "search">;

export function hashEvent(row: HashedFields): string {
  const { prevHash, ...rest } = row;
  return createHash("sha256")
    .update(prevHash)
    .update(canonical({ ...rest, createdAt: rest.createdAt.toISOString() }))
    .digest("hex");
}

export async function writeAudit(db: DbOrTx, actor: Actor, input: AuditInput): Promise<void> {
  const chain = input.orgId ?? "platform";
  const write = async (tx: DbOrTx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${"audit:" + chain}))`);
    const [last] = await tx
      .select({ seq: auditEvents.seq, hash: auditEvents.hash })
      .from(auditEvents)
      .where(eq(auditEvents.chain, chain))
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    const row: HashedFields = {
      chain,
      seq: (last?.seq ?? 0) + 1,
      orgId: input.orgId,
      projectId: input.projectId ?? null,
      actorId: actor.userId,
      actorEmail: actor.email,
      actorType: actor.type,
      action: input.action,
      targetKind: input.target?.kind ?? null,
      targetId: input.target?.id ?? null,
      targetName: input.target?.name ?? null,
      outcome: input.outcome ?? "success",
      errorCode: input.errorCode ?? null,
      message: input.message ?? null,
      requestId: actor.requestId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      data: (redact(input.data ?? {}) as Record<string, unknown>) ?? {},
      createdAt: new Date(),
      prevHash: last?.hash ?? GENESIS,
    };
    const [inserted] = await tx
      .insert(auditEvents)
      .values({ ...row, hash: hashEvent(row) })
      .returning({ id: auditEvents.id });
    // The id lets the live feed fetch exactly this row (through the reader's own filters and grants).
    await notify(tx, {
      type: "audit",
      orgId: input.orgId,
      projectId: input.projectId ?? null,
      id: inserted!.id,
    });
  };
  // The advisory lock is transaction-scoped: outside a transaction, open one.
  if ("rollback" in db) await write(db);
  else await db.transaction(write);
  if ((input.outcome ?? "success") === "success") actor.audit.written = true;
}
