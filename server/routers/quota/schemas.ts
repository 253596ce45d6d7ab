// Schemas of the quota procedures (tenant and operator): per-resource maps, the org and project
// quota answers, and quota requests.
import { z } from "zod";
import { quotaResourceNames, quotaResources, type QuotaResource } from "@/server/quota/resources";
import { AppError } from "@/server/errors";
import type { QuotaRequestView, RequestCursor } from "@/server/services/quota/requests";
import { decodeCursor, encodeCursor, isoDate } from "../shared";

function shape<T extends z.ZodType>(make: (r: QuotaResource) => T): Record<QuotaResource, T> {
  return Object.fromEntries(quotaResourceNames.map((r) => [r, make(r)])) as Record<QuotaResource, T>;
}

const unit = (r: QuotaResource) => (quotaResources[r].unit ? ` (${quotaResources[r].unit})` : "");

export const resourceSchema = z.enum(quotaResourceNames).describe("Quota resource, e.g. instances");
export const limitValue = z.number().int().min(0).max(1_000_000_000);

/** Only the resources to change; unknown names are refused with the name in the message. */
export const limitsInput = z
  .strictObject(
    shape((r) => limitValue.optional().describe(`New ${quotaResources[r].label} limit${unit(r)}`)),
  )
  .refine((l) => Object.values(l).some((v) => v !== undefined), "name at least one resource to change")
  .describe("New limits, only for the resources to change: { instances: 30 }");

const numbers = (what: string) =>
  z
    .object(
      shape((r) =>
        z
          .number()
          .int()
          .describe(`${quotaResources[r].label}${unit(r)}`),
      ),
    )
    .describe(what);

export const healthSchema = z.enum(["ok", "warning", "critical", "exhausted"]);

export const figuresOutput = {
  limits: numbers("Limit per resource"),
  usage: numbers("In use per resource (committed)"),
  reserved: numbers("Reserved by work in progress per resource (counts against the limit)"),
  health: z
    .object(shape(() => healthSchema))
    .describe(
      "ok below 70 % of the limit (usage + reserved), warning to 90 %, critical above, exhausted at 100 %",
    ),
};

export const projectQuotaOutput = z.object({
  project: z.object({ id: z.string().uuid(), slug: z.string(), name: z.string() }),
  ...figuresOutput,
  available: numbers("How far each limit can grow before the organisation's limit is reached")
    .nullable()
    .describe("Null when the caller may not read the organisation's quotas"),
});

export const orgQuotaOutput = z.object({
  org: z.object({ id: z.string().uuid(), slug: z.string(), name: z.string() }),
  ...figuresOutput,
  allocated: numbers("Sum of the project limits (carved out of the organisation's)"),
  available: numbers("Organisation limit minus allocated: what project limits can still grow by"),
  projects: z
    .array(
      z.object({
        id: z.string().uuid(),
        slug: z.string(),
        name: z.string(),
        status: z.string(),
        ...figuresOutput,
      }),
    )
    .describe("Per-project breakdown (the projects the caller can see)"),
});

export const limitChangeOutput = z.object({
  scope: z.enum(["org", "project"]),
  resource: resourceSchema,
  before: z.number().int(),
  after: z.number().int(),
});

const person = z.object({ id: z.string().uuid(), email: z.string(), name: z.string() });

export const statusSchema = z.enum(["pending", "approved", "rejected"]);
export const prioritySchema = z.enum(["High", "Medium", "Low"]);

export const quotaRequestOutput = z.object({
  id: z.string().uuid(),
  org: z.object({ id: z.string().uuid(), slug: z.string(), name: z.string() }),
  project: z
    .object({ id: z.string().uuid(), slug: z.string(), name: z.string() })
    .nullable()
    .describe("Null for an organisation-level request"),
  requester: person.nullable(),
  description: z.string(),
  priority: prioritySchema,
  resources: z.array(
    z.object({
      resource: resourceSchema,
      limit: z.number().int().describe("Requested limit"),
      previousLimit: z.number().int().describe("The limit when the request was filed"),
    }),
  ),
  tags: z.array(z.string()),
  status: statusSchema,
  decidedBy: person.nullable(),
  decidedAt: isoDate.nullable(),
  decisionComment: z.string().nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
});

export function toQuotaRequest(v: QuotaRequestView): z.infer<typeof quotaRequestOutput> {
  return {
    id: v.id,
    org: v.org,
    project: v.project,
    requester: v.requester,
    description: v.description,
    priority: v.priority,
    resources: v.resources,
    tags: v.tags,
    status: v.status,
    decidedBy: v.decidedBy,
    decidedAt: v.decidedAt,
    decisionComment: v.decisionComment,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
  };
}

export const decisionInput = z.object({
  id: z.string().uuid().describe("Quota request id"),
  comment: z.string().trim().max(2000).optional().describe("Why; shown to the requester"),
});

export const decisionOutput = quotaRequestOutput.extend({
  changes: z.array(limitChangeOutput).describe("Limits changed by the decision (empty for a rejection)"),
});

/** Keyset cursor of request lists: (createdAt, id), newest first; a malformed one is refused. */
export function requestCursor(cursor: string | undefined): RequestCursor | null {
  if (!cursor) return null;
  const parts = decodeCursor(cursor);
  const [createdAt, id] = parts ?? [];
  if (typeof createdAt !== "string" || typeof id !== "string" || !UUID.test(id) || !STAMP.test(createdAt))
    throw new AppError("INVALID_INPUT", "cursor: not a cursor from this list; start without one", {
      field: "cursor",
    });
  return { createdAt, id };
}

export function encodeRequestCursor(last: RequestCursor | null): string | null {
  return last ? encodeCursor([last.createdAt, last.id]) : null;
}

const STAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
