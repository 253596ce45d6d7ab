import { listCatalog, toKeypair } from "@/server/services/compute/catalog-views";
import { projectProcedure } from "@/server/trpc";
import { page } from "../shared";
import { catalogListInput, keypairOutput } from "./schemas";

export const listKeypairs = projectProcedure
  .meta({
    permission: "compute.keypair.list",
    openapi: {
      method: "GET",
      path: "/tenant/v1/projects/{project}/keypairs",
      tags: ["compute"],
      summary: "List the project's SSH key pairs",
    },
  })
  .input(catalogListInput)
  .output(page(keypairOutput))
  .query(({ ctx, input }) => listCatalog(ctx.db, ctx.project.id, "keypair", input, toKeypair));
