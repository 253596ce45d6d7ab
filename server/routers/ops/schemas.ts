// Schemas of the operator procedures: the organisation overview row and the default quotas.
import { z } from "zod";
import { quotaResources } from "@/server/quota/resources";
import type { OrgSummary } from "@/server/services/ops/organizations";
import { figuresOutput, healthSchema, resourceSchema } from "../quota/schemas";
import { isoDate, orgOutput } from "../shared";

export const orgSummaryOutput = orgOutput.extend({
  projectCount: z.number().int(),
  memberCount: z.number().int(),
  pendingRequests: z.number().int().describe("Quota requests waiting for a decision"),
  ...figuresOutput,
  allocated: figuresOutput.limits.describe("Sum of the project limits"),
  worstHealth: healthSchema.describe("The worst health over all resources"),
});

export function toOrgSummary(s: OrgSummary): z.infer<typeof orgSummaryOutput> {
  return {
    id: s.org.id,
    slug: s.org.slug,
    name: s.org.name,
    status: s.org.status,
    createdAt: s.org.createdAt,
    projectCount: s.projectCount,
    memberCount: s.memberCount,
    pendingRequests: s.pendingRequests,
    limits: s.limits,
    usage: s.usage,
    reserved: s.reserved,
    health: s.health,
    allocated: s.allocated,
    worstHealth: s.worst,
  };
}

export const defaultQuotaOutput = z.object({
  resource: resourceSchema,
  label: z.string(),
  unit: z.string().describe("GB, or empty for a count"),
  service: z.string().describe("Compute, Storage, Network, Kubernetes, Registry"),
  orgLimit: z.number().int().describe("Limit a new organisation starts with"),
  projectLimit: z
    .number()
    .int()
    .describe("Limit a new project starts with (never more than its org has left)"),
  updatedAt: isoDate.nullable(),
});

export function toDefaultQuota(d: {
  resource: keyof typeof quotaResources;
  orgLimit: number;
  projectLimit: number;
  updatedAt: Date | null;
}): z.infer<typeof defaultQuotaOutput> {
  const meta = quotaResources[d.resource];
  return { ...d, label: meta.label, unit: meta.unit, service: meta.service };
}
