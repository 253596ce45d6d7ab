// Idempotency-Key on REST creates: the same key and body answer the same result (even when sent
// concurrently); the same key with another body is a 409.
import { createHash } from "node:crypto";
import { and, eq, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { idempotencyKeys } from "@/db/schema";
import { canonical } from "@/server/audit/write";

export type Claim =
  | { kind: "new" }
  | { kind: "replay"; status: number; body: string }
  | { kind: "mismatch" }
  | { kind: "busy" };

export function requestHash(procedure: string, input: unknown): string {
  return createHash("sha256").update(procedure).update(canonical(input)).digest("hex");
}

const WAIT_MS = 30_000;

export async function claimKey(
  db: Db,
  principal: string,
  key: string,
  procedure: string,
  hash: string,
): Promise<Claim> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const inserted = await db
      .insert(idempotencyKeys)
      .values({ principal, key, procedure, requestHash: hash })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (inserted.length > 0) return { kind: "new" };
    const [row] = await db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.principal, principal), eq(idempotencyKeys.key, key)));
    if (!row) continue; // released between our insert and select: try again
    if (row.requestHash !== hash || row.procedure !== procedure) return { kind: "mismatch" };
    if (row.state === "done")
      return {
        kind: "replay",
        status: row.status ?? 200,
        // kept as the answer's exact text: jsonb would reorder its keys
        body: typeof row.response === "string" ? row.response : JSON.stringify(row.response),
      };
    if (Date.now() > deadline) return { kind: "busy" };
    // The first request is still running: wait for its answer rather than running twice.
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function completeKey(
  db: Db,
  principal: string,
  key: string,
  status: number,
  body: unknown,
): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({ state: "done", status, response: JSON.stringify(body) })
    .where(and(eq(idempotencyKeys.principal, principal), eq(idempotencyKeys.key, key)));
}

/** A server-side failure must not pin the key: the client's retry should run again. */
export async function releaseKey(db: Db, principal: string, key: string): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(and(eq(idempotencyKeys.principal, principal), eq(idempotencyKeys.key, key)));
}

export async function expireKeys(db: Db, olderThanHours = 24): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, new Date(Date.now() - olderThanHours * 3_600_000)));
}
