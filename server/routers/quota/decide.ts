// The shared body of approve and reject: find the request's scope, check the caller there (another
// tenant's request is NOT_FOUND), then decide under the request's row lock.
import type { Context } from "@/server/context";
import { AppError } from "@/server/errors";
import { can, type Grants } from "@/server/iam/access";
import type { Principal } from "@/server/iam/access";
import { decideQuotaRequest, getQuotaRequestRow } from "@/server/services/quota/requests";
import { assertPermission } from "@/server/trpc";
import { toQuotaRequest } from "./schemas";

type AuthedContext = Context & { principal: Principal; grants: Grants };

export async function decideRequest(
  ctx: AuthedContext,
  input: { id: string; comment?: string },
  decision: "approve" | "reject",
) {
  const row = await getQuotaRequestRow(ctx.db, input.id);
  if (!row) throw new AppError("NOT_FOUND", `Quota request ${input.id} not found`);
  assertPermission(ctx, "quota.request.approve", row, `Quota request ${input.id}`);
  const { request, changes } = await ctx.db.transaction((tx) =>
    decideQuotaRequest(tx, ctx.actor, input.id, {
      decision,
      comment: input.comment,
      asOperator: can(ctx.grants, "platform.quota.update", {}),
    }),
  );
  return {
    ...toQuotaRequest(request),
    changes: changes.map(({ scope, resource, before, after }) => ({ scope, resource, before, after })),
  };
}
