// Schemas shared by the activity-log procedures: the filters (list, export and live feed take the
// same ones) and the event as the API shows it.
import { z } from "zod";
import type { AuditFilters } from "@/server/services/audit/query";
import { OUTCOMES } from "@/server/services/audit/query";
import { isoDate } from "../shared";

const instant = z.iso.datetime({ offset: true }).describe("RFC 3339 timestamp, e.g. 2026-01-31T09:00:00Z");

export const auditFilterInput = {
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .describe(
      "Free text: every word must match the action, actor email, target name or kind, or the message (words match as prefixes)",
    ),
  action: z
    .string()
    .trim()
    .max(128)
    .regex(
      /^[A-Za-z0-9_.:-]+\*?$/,
      "use an action such as resourcemanager.project.create, or a prefix ending in *",
    )
    .optional()
    .describe("Exact action, or a prefix ending in * (resourcemanager.project.*)"),
  actor: z.string().trim().min(1).max(320).optional().describe("Actor email or user id"),
  project: z.string().trim().min(1).max(64).optional().describe("Project id or slug"),
  outcome: z.enum(OUTCOMES).optional().describe("success | failure | denied"),
  from: instant.optional().describe("Events at or after this time (RFC 3339)"),
  to: instant.optional().describe("Events before this time (RFC 3339)"),
  targetKind: z
    .string()
    .trim()
    .max(64)
    .optional()
    .describe("Kind of the resource acted on (project, user, role, instance...)"),
  targetId: z.string().trim().max(64).optional().describe("Id of the resource acted on"),
};

export function toFilters(input: z.infer<z.ZodObject<typeof auditFilterInput>>): AuditFilters {
  return {
    ...(input.q ? { q: input.q } : {}),
    ...(input.action ? { action: input.action } : {}),
    ...(input.actor ? { actor: input.actor } : {}),
    ...(input.project ? { project: input.project } : {}),
    ...(input.outcome ? { outcome: input.outcome } : {}),
    ...(input.from ? { from: new Date(input.from) } : {}),
    ...(input.to ? { to: new Date(input.to) } : {}),
    ...(input.targetKind ? { targetKind: input.targetKind } : {}),
    ...(input.targetId ? { targetId: input.targetId } : {}),
  };
}

export const auditEventOutput = z.object({
  id: z.number().int().describe("Event id (increases with time within the organisation's log)"),
  seq: z.number().int().describe("Position in the organisation's hash chain"),
  createdAt: isoDate,
  actor: z.object({
    id: z.string().nullable().describe("User id, when a user acted (or a job on a user's behalf)"),
    email: z.string().nullable(),
    type: z.string().describe("user | token | system | anonymous"),
  }),
  org: z.object({ id: z.string().uuid(), slug: z.string() }),
  project: z
    .object({
      id: z.string(),
      slug: z.string().nullable().describe("Null once the project is deleted"),
      name: z.string().nullable(),
    })
    .nullable(),
  action: z.string().describe("What was done, e.g. resourcemanager.project.create"),
  target: z
    .object({ kind: z.string(), id: z.string().nullable(), name: z.string().nullable() })
    .nullable()
    .describe("The resource acted on"),
  outcome: z.enum(OUTCOMES),
  errorCode: z.string().nullable().describe("Error code of a failure or denial"),
  message: z.string().nullable(),
  requestId: z.string().nullable().describe("Request id, also in the server logs"),
  ip: z.string().nullable().describe("Client address"),
  userAgent: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).describe("Details of the event (secrets redacted)"),
  hash: z.string().describe("Hash chaining this event to its predecessor"),
});

export type AuditEventOutput = z.infer<typeof auditEventOutput>;
