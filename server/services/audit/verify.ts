// Verifies an organisation's activity log: walks its hash chain and reports the first event that
// was altered, removed or slipped in, with the head an auditor can record to detect truncation.
import type { DbOrTx } from "@/db/client";
import { verifyChain, type VerifyResult } from "@/server/audit/verify";

export interface OrgVerification extends VerifyResult {
  verifiedAt: Date;
  durationMs: number;
}

export async function verifyOrgLog(db: DbOrTx, orgId: string): Promise<OrgVerification> {
  const started = performance.now();
  const result = await verifyChain(db, orgId);
  return { ...result, verifiedAt: new Date(), durationMs: Math.round(performance.now() - started) };
}
