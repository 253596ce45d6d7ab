import { writeAudit } from "@/server/audit/write";
import { getCloud } from "@/server/cloud/regions";
import { AppError } from "@/server/errors";
import { getOpenStack } from "@/server/providers/openstack/client";
import { platformProcedure } from "@/server/trpc";
import { createFlavorInput } from "../compute/schemas";
import { z } from "zod";

export const createFlavor = platformProcedure
  .meta({
    permission: "platform.flavor.create",
    successStatus: 201,
    openapi: {
      method: "POST",
      path: "/ops/v1/flavors",
      tags: ["operators"],
      summary: "Create a flavor in a region (projects see it on the next catalogue refresh)",
    },
  })
  .input(createFlavorInput)
  .output(
    z.object({
      providerId: z.string(),
      name: z.string(),
      region: z.string(),
      vcpus: z.number(),
      ramMb: z.number(),
      diskGb: z.number(),
      isPublic: z.boolean(),
    }),
  )
  .mutation(async ({ ctx, input }) => {
    if (!getCloud().regionNames().includes(input.region))
      throw new AppError("INVALID_INPUT", `region: unknown region ${input.region}`, { field: "region" });
    const compute = getOpenStack().admin(input.region, { requestId: ctx.requestId }).compute;
    const existing = (await compute.listFlavors({})).find((f) => f.name === input.name);
    if (existing)
      throw new AppError("CONFLICT", `A flavor named ${input.name} already exists in ${input.region}`, {
        field: "name",
      });
    // Flavors belong to the platform, not to an organisation: no job (jobs are per organisation),
    // one synchronous call, audited in the platform's log.
    const f = await compute.createFlavor({
      name: input.name,
      vcpus: input.vcpus,
      ram: input.ramMb,
      disk: input.diskGb,
      isPublic: input.isPublic,
      ...(input.description ? { description: input.description } : {}),
    });
    await writeAudit(ctx.db, ctx.actor, {
      action: "platform.flavor.create",
      orgId: null,
      target: { kind: "flavor", id: null, name: f.name },
      data: { region: input.region, providerId: f.id, vcpus: f.vcpus, ramMb: f.ram, diskGb: f.disk },
    });
    return {
      providerId: f.id,
      name: f.name,
      region: input.region,
      vcpus: f.vcpus,
      ramMb: f.ram,
      diskGb: f.disk,
      isPublic: f["os-flavor-access:is_public"] ?? input.isPublic,
    };
  });
