import { z } from "zod";
import { writeAudit } from "@/server/audit/write";
import { AppError } from "@/server/errors";
import { actionRefusal } from "@/lib/compute/actions";
import { getInventory } from "@/server/services/inventory";
import { projectCloud } from "@/server/services/compute/upstream";
import { instanceState } from "@/server/services/compute/views";
import { projectProcedure } from "@/server/trpc";
import { consoleOutput } from "./schemas";

export const getInstanceConsole = projectProcedure
  .meta({
    permission: "compute.instance.action",
    openapi: {
      method: "POST",
      path: "/tenant/v1/projects/{project}/instances/{id}/console",
      tags: ["compute"],
      summary: "Open a remote console (answers a one-time URL to open in a new tab)",
    },
  })
  .input(z.object({ id: z.string().uuid() }))
  .output(consoleOutput)
  .mutation(async ({ ctx, input }) => {
    const row = await getInventory(ctx.db, ctx.project.id, "instance", input.id);
    const refusal = actionRefusal(instanceState(row), "console");
    if (refusal) throw new AppError("CONFLICT", refusal);
    const cloud = projectCloud(ctx.project, row.region, { requestId: ctx.requestId });
    const remote = await cloud.compute.remoteConsole(row.providerRef!, "vnc", "novnc");
    // the URL carries a console token: the activity log records that it was opened, not the URL
    await writeAudit(ctx.db, ctx.actor, {
      action: "compute.instance.console",
      orgId: row.orgId,
      projectId: row.projectId,
      target: { kind: "instance", id: row.id, name: row.name },
      data: { protocol: remote.protocol, type: remote.type },
    });
    return remote;
  });
