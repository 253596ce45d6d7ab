// A subscription lives for hours, so the grants resolved when it opened go stale: they are
// resolved again from Postgres (briefly cached) before events are delivered, and a revoked
// session, expired token or suspended user ends the stream.
import { and, eq, gt, isNull } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { apiTokens, users } from "@/db/schema";
import { AppError } from "@/server/errors";
import { loadGrants, principalFromSession, type Grants, type Principal } from "@/server/iam/access";

let grantsTtlMs = 5000;
/** Tests make revocations bite at once. */
export function setLiveGrantsTtl(ms: number): void {
  grantsTtlMs = ms;
}

/** The principal as it stands now, or null when its session/token/user no longer holds. */
export async function currentPrincipal(db: DbOrTx, principal: Principal): Promise<Principal | null> {
  if (principal.via === "session") {
    return principal.sessionId ? principalFromSession(db, principal.sessionId) : null;
  }
  if (!principal.tokenId) return null;
  const [row] = await db
    .select({ userId: users.id })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(
      and(
        eq(apiTokens.id, principal.tokenId),
        isNull(apiTokens.revokedAt),
        gt(apiTokens.expiresAt, new Date()),
        eq(users.status, "active"),
      ),
    )
    .limit(1);
  return row ? principal : null;
}

export class LiveAccess {
  private grants: Grants;
  private checkedAt: number;

  constructor(
    private readonly db: DbOrTx,
    private readonly principal: Principal,
    grants: Grants,
    private readonly ttlMs = grantsTtlMs,
  ) {
    this.grants = grants;
    this.checkedAt = Date.now();
  }

  /** Fresh grants; throws UNAUTHENTICATED once the caller's credential no longer holds. */
  async current(): Promise<Grants> {
    if (Date.now() - this.checkedAt < this.ttlMs) return this.grants;
    const principal = await currentPrincipal(this.db, this.principal);
    if (!principal) {
      throw new AppError("UNAUTHENTICATED", "Your session ended: sign in again to resume live updates");
    }
    this.grants = await loadGrants(this.db, principal);
    this.checkedAt = Date.now();
    return this.grants;
  }
}
