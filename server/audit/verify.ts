// Walks an organisation's chain and reports the first row that was altered, removed or inserted.
import { asc, eq, gt, and } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { GENESIS, hashEvent } from "./write";

export interface VerifyResult {
  ok: boolean;
  checked: number;
  /** The last event that verified: recording its hash elsewhere anchors everything before it. */
  last?: { seq: number; hash: string; createdAt: Date };
  /** The first problem found, if any. */
  problem?: {
    kind: "altered" | "removed" | "inserted";
    seq: number;
    eventId: number | null;
    message: string;
  };
}

export async function verifyChain(db: DbOrTx, chain: string, batch = 5000): Promise<VerifyResult> {
  let prevHash = GENESIS;
  let expectedSeq = 1;
  let checked = 0;
  let after = 0;
  let last: VerifyResult["last"];
  for (;;) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.chain, chain), gt(auditEvents.seq, after)))
      .orderBy(asc(auditEvents.seq))
      .limit(batch);
    if (rows.length === 0) break;
    for (const row of rows) {
      const { id, hash, search: _search, ...fields } = row;
      if (row.seq !== expectedSeq) {
        const kind = row.seq > expectedSeq ? "removed" : "inserted";
        return fail(checked, kind, expectedSeq, id, `expected event #${expectedSeq}, found #${row.seq}`);
      }
      if (row.prevHash !== prevHash) {
        // The row links to something that is not its predecessor: a row was removed before it or this one was inserted.
        return fail(
          checked,
          "inserted",
          row.seq,
          id,
          `event #${row.seq} does not link to event #${row.seq - 1}`,
        );
      }
      if (hashEvent(fields) !== hash) {
        return fail(checked, "altered", row.seq, id, `event #${row.seq} was changed after it was written`);
      }
      last = { seq: row.seq, hash, createdAt: row.createdAt };
      prevHash = hash;
      expectedSeq += 1;
      checked += 1;
      after = row.seq;
    }
  }
  return { ok: true, checked, ...(last ? { last } : {}) };
}

function fail(
  checked: number,
  kind: "altered" | "removed" | "inserted",
  seq: number,
  eventId: number,
  message: string,
): VerifyResult {
  return { ok: false, checked, problem: { kind, seq, eventId, message } };
}
