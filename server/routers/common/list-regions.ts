import { z } from "zod";
import { getCloud } from "@/server/cloud/regions";
import { log } from "@/server/log";
import { SELF } from "@/server/iam/permissions";
import { authedProcedure } from "@/server/trpc";

export const listRegions = authedProcedure
  .meta({
    permission: SELF,
    openapi: {
      method: "GET",
      path: "/common/v1/regions",
      tags: ["common"],
      summary: "Regions and their availability zones",
    },
  })
  .input(z.object({}).optional())
  .output(
    z.object({
      items: z.array(
        z.object({
          name: z.string().describe("Region name, as in the cloud's catalog"),
          availabilityZones: z.array(z.string()).describe("Zones that accept new resources"),
          status: z.enum(["ok", "unavailable"]).describe("unavailable when the region did not answer"),
        }),
      ),
      nextCursor: z.string().nullable(),
    }),
  )
  .query(async () => {
    const cloud = getCloud();
    // One region being down must not hide the others: each answers for itself.
    const items = await Promise.all(
      cloud.regionNames().map(async (name) => {
        try {
          return { name, availabilityZones: await cloud.zones(name), status: "ok" as const };
        } catch (e) {
          log.warn("region did not answer", { region: name, error: e });
          return { name, availabilityZones: [], status: "unavailable" as const };
        }
      }),
    );
    return { items, nextCursor: null };
  });
