// Live inventory changes of one project: ids only, each re-checked against the reader's current
// grants for that kind's list permission; the client refetches what changed.
import { z } from "zod";
import { can } from "@/server/iam/access";
import type { Permission } from "@/server/iam/permissions";
import { LiveAccess } from "@/server/realtime/access";
import { liveError } from "@/server/realtime/errors";
import { openHubStream, type HubStream } from "@/server/realtime/stream";
import { projectProcedure } from "@/server/trpc";

/** The list permission of each inventory kind. */
const KIND_PERMISSION: Record<string, Permission> = {
  instance: "compute.instance.list",
  image: "compute.image.list",
  flavor: "compute.flavor.list",
  keypair: "compute.keypair.list",
  network: "network.network.list",
  subnet: "network.subnet.list",
  security_group: "network.securitygroup.list",
  floating_ip: "network.network.list",
  volume: "storage.volume.list",
};

export const resourceLiveMessage = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("resource"), resourceKind: z.string(), id: z.string().uuid() }),
  z.object({ kind: z.literal("resync").describe("Updates may have been missed: refetch") }),
]);
export type ResourceLiveMessage = z.infer<typeof resourceLiveMessage>;

export const watchResources = projectProcedure
  .meta({ permission: "compute.instance.list" })
  .input(
    z.object({
      kinds: z
        .array(z.enum(Object.keys(KIND_PERMISSION) as [string, ...string[]]))
        .min(1)
        .max(10)
        .describe("Inventory kinds to follow"),
    }),
  )
  .subscription(({ ctx, input, signal }) => {
    const project = ctx.project;
    const kinds = new Set(input.kinds);
    const access = new LiveAccess(ctx.db, ctx.principal, ctx.grants);
    return (async function* (): AsyncGenerator<ResourceLiveMessage> {
      let stream: HubStream | null = null;
      try {
        stream = await openHubStream({
          signal,
          accept: (m) => m.type === "resource" && m.projectId === project.id && kinds.has(m.kind),
        });
        for await (const batch of stream) {
          const grants = await access.current();
          const seen = new Set<string>();
          let resync = false;
          for (const m of batch) {
            if (m.type === "resync") resync = true;
            if (m.type !== "resource" || seen.has(m.id)) continue;
            const permission = KIND_PERMISSION[m.kind];
            if (!permission || !can(grants, permission, { orgId: project.orgId, projectId: project.id }))
              continue;
            seen.add(m.id);
            yield { kind: "resource", resourceKind: m.kind, id: m.id };
          }
          if (resync) yield { kind: "resync" };
        }
      } catch (e) {
        throw liveError(e);
      } finally {
        stream?.close();
      }
    })();
  });
