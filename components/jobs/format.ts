// Small formatting helpers shared by the job views.

/** "42 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return "under 1 s";
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, "0")} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${String(m % 60).padStart(2, "0")} min`;
}

const clock = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** "08:31:07": step times are seconds apart, so they show seconds. */
export function formatClock(d: Date): string {
  return clock.format(d);
}

/** How long a job or step took, or has been running (until `now`). */
export function elapsed(start: Date | null, end: Date | null, now: number = Date.now()): string {
  if (!start) return "—";
  return formatDuration((end ? end.getTime() : now) - start.getTime());
}

/** Where a job's target is shown in the console, when there is a page for it. */
export function targetHref(
  org: string,
  job: {
    target: { kind: string; id: string | null; name: string | null } | null;
    project: { slug: string | null } | null;
  },
): string | null {
  if (!job.target) return null;
  if (job.target.kind === "project") return job.project?.slug ? `/${org}/${job.project.slug}` : null;
  const project = job.project?.slug;
  if (!project || !job.target.id) return null;
  if (job.target.kind === "instance") return `/${org}/${project}/compute/instances/${job.target.id}`;
  if (job.target.kind === "image") return `/${org}/${project}/compute/images`;
  if (job.target.kind === "keypair") return `/${org}/${project}/compute/key-pairs`;
  return null;
}
