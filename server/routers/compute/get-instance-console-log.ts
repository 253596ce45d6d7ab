import { z } from "zod";
import { AppError } from "@/server/errors";
import { actionRefusal } from "@/lib/compute/actions";
import { getInventory } from "@/server/services/inventory";
import { projectCloud } from "@/server/services/compute/upstream";
import { instanceState } from "@/server/services/compute/views";
import { projectProcedure } from "@/server/trpc";
import { consoleLogOutput } from "./schemas";

export const getInstanceConsoleLog = projectProcedure
  .meta({
    permission: "compute.instance.get",
    openapi: {
      method: "GET",
      path: "/tenant/v1/projects/{project}/instances/{id}/console-log",
      tags: ["compute"],
      summary: "The last lines of the serial console log",
    },
  })
  .input(z.object({ id: z.string().uuid(), lines: z.coerce.number().int().min(1).max(10_000).default(200) }))
  .output(consoleLogOutput)
  .query(async ({ ctx, input }) => {
    const row = await getInventory(ctx.db, ctx.project.id, "instance", input.id);
    const refusal = actionRefusal(
      { ...instanceState(row), locked: false, pendingAction: null },
      "consoleLog",
    );
    if (refusal) throw new AppError("CONFLICT", refusal);
    const cloud = projectCloud(ctx.project, row.region, { requestId: ctx.requestId });
    const output = await cloud.compute.consoleOutput(row.providerRef!, input.lines);
    return { output, lines: output === "" ? 0 : output.split("\n").length };
  });
