import { z } from "zod";
import { writeAudit } from "@/server/audit/write";
import { AppError } from "@/server/errors";
import { getInventory } from "@/server/services/inventory";
import { keystoneProjectId } from "@/server/services/compute/upstream";
import { projectProcedure } from "@/server/trpc";

/**
 * The checks of an image upload (PUT .../images/{id}/file streams the data; see
 * server/http/image-upload.ts): the caller may create images, the image is the project's own
 * and still waits for its data. Audited here, as the upload's one event.
 */
export const startImageUpload = projectProcedure
  .meta({ permission: "compute.image.create" })
  .input(z.object({ id: z.string().uuid(), bytes: z.number().int().min(0).nullable() }))
  .output(
    z.object({ region: z.string(), keystoneProjectId: z.string(), glanceId: z.string(), name: z.string() }),
  )
  .mutation(async ({ ctx, input }) => {
    const row = await getInventory(ctx.db, ctx.project.id, "image", input.id);
    if (row.attrs.owned !== true)
      throw new AppError("FORBIDDEN", `Image ${row.name} is not the project's own`);
    if (!row.providerRef)
      throw new AppError(
        "CONFLICT",
        `Image ${row.name} is still being created: upload once its job has ended`,
      );
    if (row.status !== "queued")
      throw new AppError(
        "CONFLICT",
        `Image ${row.name} is ${row.status}: data can be uploaded only to a queued image`,
      );
    await writeAudit(ctx.db, ctx.actor, {
      action: "compute.image.upload",
      orgId: row.orgId,
      projectId: row.projectId,
      target: { kind: "image", id: row.id, name: row.name },
      data: { bytes: input.bytes, providerId: row.providerRef },
    });
    return {
      region: row.region,
      keystoneProjectId: keystoneProjectId(ctx.project, row.region),
      glanceId: row.providerRef,
      name: row.name,
    };
  });
