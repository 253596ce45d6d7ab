// Live job updates for an organisation (optionally one project or one job): ids and states only,
// each re-checked against the reader's current grants; the client refetches what changed.
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { projects } from "@/db/schema";
import { AppError } from "@/server/errors";
import { can, canSeeProject } from "@/server/iam/access";
import { LiveAccess } from "@/server/realtime/access";
import { liveError } from "@/server/realtime/errors";
import { openHubStream, type HubStream } from "@/server/realtime/stream";
import { orgProcedure } from "@/server/trpc";
import { jobState } from "./schemas";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const jobLiveMessage = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("job"),
    jobId: z.string().uuid(),
    projectId: z.string().uuid().nullable(),
    state: jobState,
  }),
  z.object({ kind: z.literal("resync").describe("Updates may have been missed: refetch") }),
]);
export type JobLiveMessage = z.infer<typeof jobLiveMessage>;

export const watchJobs = orgProcedure
  .meta({ permission: "job.job.list", anyProject: true })
  .input(
    z.object({
      project: z.string().trim().min(1).max(64).optional().describe("Only this project's jobs (id or slug)"),
      jobId: z.string().uuid().optional().describe("Only this job"),
    }),
  )
  .subscription(async ({ ctx, input, signal }) => {
    // Checks run before the stream starts, so a refusal is the subscription's answer.
    const org = ctx.org;
    let projectId: string | undefined;
    if (input.project) {
      const ref = input.project;
      const [p] = await ctx.db
        .select({ id: projects.id })
        .from(projects)
        .where(
          and(
            eq(projects.orgId, org.id),
            UUID.test(ref) ? eq(projects.id, ref) : eq(projects.slug, ref.toLowerCase()),
          ),
        )
        .limit(1);
      if (!p || !canSeeProject(ctx.grants, org.id, p.id))
        throw new AppError("NOT_FOUND", `Project ${ref} not found`, { field: "project" });
      projectId = p.id;
    }
    const permission = input.jobId ? "job.job.get" : "job.job.list";
    const access = new LiveAccess(ctx.db, ctx.principal, ctx.grants);

    return (async function* (): AsyncGenerator<JobLiveMessage> {
      let stream: HubStream | null = null;
      try {
        stream = await openHubStream({
          signal,
          accept: (m) =>
            m.type === "job" &&
            m.orgId === org.id &&
            (!projectId || m.projectId === projectId) &&
            (!input.jobId || m.jobId === input.jobId),
        });
        for await (const batch of stream) {
          const grants = await access.current();
          // The newest state of each job is enough: the client refetches the job anyway.
          const latest = new Map<string, JobLiveMessage>();
          let resync = false;
          for (const m of batch) {
            if (m.type === "resync") resync = true;
            if (m.type !== "job") continue;
            if (!can(grants, permission, { orgId: m.orgId, projectId: m.projectId ?? undefined })) continue;
            const parsed = jobLiveMessage.safeParse({
              kind: "job",
              jobId: m.jobId,
              projectId: m.projectId,
              state: m.state,
            });
            if (parsed.success) latest.set(m.jobId, parsed.data);
          }
          for (const m of latest.values()) yield m;
          if (resync) yield { kind: "resync" };
        }
      } catch (e) {
        throw liveError(e);
      } finally {
        stream?.close();
      }
    })();
  });
