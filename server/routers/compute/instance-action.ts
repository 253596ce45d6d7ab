import { dispatchJob } from "@/server/jobs/queue";
import { jobRef, runInstanceAction } from "@/server/services/compute/instances";
import { toInstance } from "@/server/services/compute/views";
import { assertPermission, projectProcedure } from "@/server/trpc";
import { AppError } from "@/server/errors";
import { instanceActionInput, instanceActionOutput, instanceActionRequest } from "./schemas";

export const instanceAction = projectProcedure
  .meta({
    permission: "compute.instance.action",
    successStatus: 202,
    openapi: {
      method: "POST",
      path: "/tenant/v1/projects/{project}/instances/{id}/actions",
      tags: ["compute"],
      summary: "Run a lifecycle action: start, stop, reboot, resize, lock, snapshot, attach a volume...",
    },
  })
  .input(instanceActionRequest)
  .output(instanceActionOutput)
  .mutation(async ({ ctx, input: body }) => {
    // each action's own parameters (resize needs flavorId...), named in the refusal
    const parsed = instanceActionInput.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.join(".") || "action";
      throw new AppError("INVALID_INPUT", `${field}: ${issue.message} (action ${body.action})`, { field });
    }
    const input = parsed.data;
    const scope = { orgId: ctx.project.orgId, projectId: ctx.project.id };
    // actions that create something need that kind's create permission too
    if (input.action === "attachVolume" && input.newVolume)
      assertPermission(ctx, "storage.volume.create", scope, `Project ${ctx.project.slug}`);
    if (input.action === "snapshot")
      assertPermission(ctx, "compute.image.create", scope, `Project ${ctx.project.slug}`);
    const { row, job } = await ctx.db.transaction((tx) =>
      runInstanceAction(ctx.db, tx, ctx.actor, ctx.project, input),
    );
    await dispatchJob(job.id);
    return { instance: toInstance(row, jobRef(job)), job: jobRef(job) };
  });
