// Schemas shared by the job procedures: the filters and the job as the API shows it.
import { z } from "zod";
import { JOB_STATES, STEP_STATES, type JobFilters } from "@/server/services/jobs/jobs";
import { isoDate } from "../shared";

export const jobState = z.enum(JOB_STATES);

export const jobFilterInput = {
  q: z.string().trim().max(64).optional().describe("Part of the target's name or of the kind"),
  state: z
    .string()
    .trim()
    .regex(
      new RegExp(`^(${JOB_STATES.join("|")})(,(${JOB_STATES.join("|")}))*$`),
      `use one or more of ${JOB_STATES.join(", ")}, separated by commas`,
    )
    .optional()
    .describe("Only jobs in these states, comma-separated (RUNNING,RETRYING)"),
  kind: z
    .string()
    .trim()
    .max(64)
    .regex(/^[a-z0-9_.-]+$/, "use a job kind such as project.provision")
    .optional()
    .describe("Only jobs of this kind (project.provision, ...)"),
  targetId: z.string().uuid().optional().describe("Only jobs on this resource"),
};

export function toJobFilters(input: {
  state?: string;
  kind?: string;
  q?: string;
  targetId?: string;
}): JobFilters {
  return {
    ...(input.q ? { q: input.q } : {}),
    ...(input.state ? { states: [...new Set(input.state.split(","))] as JobFilters["states"] } : {}),
    ...(input.kind ? { kind: input.kind } : {}),
    ...(input.targetId ? { targetId: input.targetId } : {}),
  };
}

export const jobItemOutput = z.object({
  id: z.string().uuid(),
  kind: z.string().describe("What the job does, e.g. project.provision"),
  title: z.string().describe("Human name of the kind"),
  state: jobState,
  org: z.object({ id: z.string().uuid(), slug: z.string() }),
  project: z
    .object({
      id: z.string().uuid(),
      slug: z.string().nullable().describe("Null once the project is deleted"),
      name: z.string().nullable(),
    })
    .nullable(),
  target: z
    .object({ kind: z.string(), id: z.string().nullable(), name: z.string().nullable() })
    .nullable()
    .describe("The resource the job works on"),
  region: z.string().nullable(),
  progress: z.object({
    done: z.number().int().describe("Steps finished"),
    total: z.number().int(),
    current: z.string().nullable().describe("The step running (or failed) now"),
  }),
  attempts: z.number().int().describe("Runs so far (a retry is another run)"),
  maxAttempts: z.number().int(),
  lastError: z.string().nullable(),
  createdBy: z
    .object({ id: z.string().uuid(), email: z.string().nullable(), name: z.string().nullable() })
    .nullable(),
  requestId: z.string().nullable().describe("Request that created the job"),
  createdAt: isoDate,
  updatedAt: isoDate,
  startedAt: isoDate.nullable(),
  finishedAt: isoDate.nullable(),
  nextRunAt: isoDate.nullable().describe("When a RETRYING job runs again"),
});

export const jobDetailOutput = jobItemOutput.extend({
  steps: z.array(
    z.object({
      name: z.string(),
      state: z.enum(STEP_STATES),
      startedAt: isoDate.nullable(),
      finishedAt: isoDate.nullable(),
      error: z.string().nullable(),
    }),
  ),
});
