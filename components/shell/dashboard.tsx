"use client";
// Organisation and project dashboards: what exists (inventory counts), how close the quotas are,
// what is running, and what happened lately. Each card loads, fails and retries on its own, and
// cards the caller has no permission for are left out rather than shown broken.
import { useQuery } from "@tanstack/react-query";
import {
  Activity,
  ArrowRight,
  Boxes,
  Cpu,
  Database,
  FolderKanban,
  Gauge,
  HardDrive,
  ListChecks,
  Network,
  Server,
  type LucideIcon,
} from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { describeAction } from "@/components/audit/filters";
import { usePermissions } from "@/components/resources/use-permissions";
import { useTRPC, type RouterOutputs } from "@/components/trpc";
import {
  Badge,
  Card,
  CardContent,
  CardHeader,
  EmptyState,
  ErrorState,
  PageHeader,
  ProgressBar,
  QuotaBar,
  RelativeTime,
  Skeleton,
  StatusPill,
  buttonClasses,
  cn,
} from "@/components/ui";
import { quotaResources, type QuotaResource } from "@/server/quota/resources";

const KIND_LABELS: Record<string, { label: string; icon: LucideIcon }> = {
  "compute.instance": { label: "Instances", icon: Server },
  "compute.image": { label: "Images", icon: Database },
  "compute.keypair": { label: "Key pairs", icon: Cpu },
  "network.network": { label: "Networks", icon: Network },
  "network.subnet": { label: "Subnets", icon: Network },
  "network.securitygroup": { label: "Security groups", icon: Network },
  "network.floatingip": { label: "Elastic IPs", icon: Network },
  "network.loadbalancer": { label: "Load balancers", icon: Network },
  "storage.volume": { label: "Volumes", icon: HardDrive },
  "storage.snapshot": { label: "Snapshots", icon: HardDrive },
  "storage.bucket": { label: "Buckets", icon: HardDrive },
  "kubernetes.cluster": { label: "Kubernetes clusters", icon: Boxes },
};

function kindLabel(kind: string): { label: string; icon: LucideIcon } {
  if (KIND_LABELS[kind]) return KIND_LABELS[kind];
  const last = kind.split(".").pop() ?? kind;
  return { label: `${last.charAt(0).toUpperCase()}${last.slice(1)}s`, icon: Boxes };
}

function CardLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Link href={href} className={buttonClasses({ variant: "ghost", size: "sm", className: "-my-1 -mr-2" })}>
      {children}
      <ArrowRight />
    </Link>
  );
}

function ListSkeleton({ rows = 4 }: { rows?: number }) {
  return (
    <ul className="flex flex-col gap-4" aria-hidden="true">
      {Array.from({ length: rows }, (_, i) => (
        <li key={i} className="flex flex-col gap-1.5">
          <Skeleton className="h-3.5 w-2/3" />
          <Skeleton className="h-3 w-1/3" />
        </li>
      ))}
    </ul>
  );
}

// Inventory -------------------------------------------------------------------------------------

function ResourceCounts({
  org,
  project,
  projectCount,
}: {
  org: string;
  project?: string;
  projectCount?: number;
}) {
  const trpc = useTRPC();
  const counts = useQuery(trpc.prefs.countResources.queryOptions({ org, project }));
  const tiles: { label: string; icon: LucideIcon; count: number; href?: string }[] = [];
  if (projectCount !== undefined)
    tiles.push({ label: "Projects", icon: FolderKanban, count: projectCount, href: `/${org}/projects` });
  for (const item of counts.data?.items ?? []) tiles.push({ ...kindLabel(item.kind), count: item.count });
  return (
    <section aria-labelledby="resources-title">
      <h2 id="resources-title" className="sr-only">
        Resources
      </h2>
      {counts.isError ? (
        <Card>
          <ErrorState
            compact
            error={counts.error}
            title="Could not count resources"
            onRetry={() => void counts.refetch()}
          />
        </Card>
      ) : (
        <div className="grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="resource-counts">
          {counts.isPending
            ? Array.from({ length: 4 }, (_, i) => (
                <Card key={i} className="h-[88px] p-4">
                  <Skeleton className="h-3.5 w-20" />
                  <Skeleton className="mt-3 h-7 w-12" />
                </Card>
              ))
            : tiles.map((t) => {
                const Icon = t.icon;
                const body = (
                  <>
                    <div className="flex items-center gap-2 text-sm text-muted-foreground">
                      <Icon className="size-4" aria-hidden="true" />
                      {t.label}
                    </div>
                    <p className="mt-2 text-2xl font-semibold tabular-nums">{t.count.toLocaleString("en")}</p>
                  </>
                );
                return (
                  <Card key={t.label} className="h-[88px] p-4 transition-colors hover:border-border-strong">
                    {t.href ? (
                      <Link href={t.href} className="block">
                        {body}
                      </Link>
                    ) : (
                      body
                    )}
                  </Card>
                );
              })}
          {counts.isSuccess && counts.data.items.length === 0 ? (
            <Card
              className={cn(
                "col-span-2 flex h-[88px] items-center p-4 text-sm text-muted-foreground",
                projectCount === undefined ? "md:col-span-4" : "md:col-span-3",
              )}
            >
              No cloud resources yet. Instances, volumes, networks and clusters appear here as they are
              created.
            </Card>
          ) : null}
        </div>
      )}
    </section>
  );
}

// Quotas ----------------------------------------------------------------------------------------

type Figures = {
  limits: Record<string, number>;
  usage: Record<string, number>;
  reserved: Record<string, number>;
};

function topQuotas(f: Figures, n: number) {
  return (
    (Object.keys(quotaResources) as QuotaResource[])
      .map((r, order) => {
        const limit = f.limits[r] ?? 0;
        const used = f.usage[r] ?? 0;
        const reserved = f.reserved[r] ?? 0;
        return {
          r,
          order,
          limit,
          used,
          reserved,
          ratio: limit > 0 ? (used + reserved) / limit : used + reserved > 0 ? 1 : 0,
        };
      })
      // Fullest first; at equal use, the catalogue's order (instances, vCPUs, RAM...) rather than the alphabet.
      .sort((a, b) => b.ratio - a.ratio || a.order - b.order)
      .slice(0, n)
  );
}

function QuotaCard({
  title,
  href,
  query,
}: {
  title: string;
  href: string;
  query: { data?: Figures; isPending: boolean; isError: boolean; error: unknown; refetch: () => unknown };
}) {
  return (
    <Card>
      <CardHeader
        title={
          <span className="flex items-center gap-2">
            <Gauge className="size-4 text-muted-foreground" aria-hidden="true" />
            {title}
          </span>
        }
        description="The resources closest to their limits"
        actions={<CardLink href={href}>All quotas</CardLink>}
      />
      <CardContent className="flex flex-col gap-4" data-testid="quota-health">
        {query.isPending ? (
          <ListSkeleton rows={5} />
        ) : query.isError ? (
          <ErrorState compact error={query.error} onRetry={() => void query.refetch()} />
        ) : query.data ? (
          topQuotas(query.data, 5).map((q) => (
            <QuotaBar
              key={q.r}
              label={quotaResources[q.r].label}
              unit={quotaResources[q.r].unit || undefined}
              used={q.used}
              pending={q.reserved}
              limit={q.limit}
            />
          ))
        ) : null}
      </CardContent>
    </Card>
  );
}

function OrgQuotaCard({ org }: { org: string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.quota.getOrgQuotas.queryOptions({ org }));
  return <QuotaCard title="Quota health" href={`/${org}/quotas`} query={q} />;
}

function ProjectQuotaCard({ org, project }: { org: string; project: string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.quota.getProjectQuotas.queryOptions({ org, project }));
  return <QuotaCard title="Quota health" href={`/${org}/${project}/quotas`} query={q} />;
}

// Jobs ------------------------------------------------------------------------------------------

type Job = RouterOutputs["jobs"]["listOrgJobs"]["items"][number];

function JobList({ jobs, org }: { jobs: Job[]; org: string }) {
  return (
    <ul className="divide-y divide-border">
      {jobs.map((j) => (
        <li key={j.id} className="py-3 first:pt-0 last:pb-0">
          <div className="flex items-center justify-between gap-3">
            <Link
              href={`/${org}/jobs/${j.id}`}
              className="min-w-0 truncate text-sm font-medium hover:text-primary hover:underline"
            >
              {j.title}
              {j.target?.name ? (
                <span className="font-normal text-muted-foreground"> · {j.target.name}</span>
              ) : null}
            </Link>
            <StatusPill status={j.state} />
          </div>
          <div className="mt-2 flex items-center gap-3">
            <ProgressBar
              value={j.progress.done}
              max={Math.max(1, j.progress.total)}
              label={`${j.title} progress`}
              className="h-1.5"
              barClassName={j.state === "RETRYING" ? "bg-amber-500" : "bg-sky-500"}
            />
            <span className="shrink-0 text-xs text-muted-foreground tabular-nums">
              {j.progress.done}/{j.progress.total}
            </span>
          </div>
          {j.progress.current ? (
            <p className="mt-1 truncate text-xs text-muted-foreground">{j.progress.current}</p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function JobsCard({
  org,
  href,
  query,
}: {
  org: string;
  href: string | null;
  query: {
    data?: { items: Job[] };
    isPending: boolean;
    isError: boolean;
    error: unknown;
    refetch: () => unknown;
  };
}) {
  return (
    <Card>
      <CardHeader
        title={
          <span className="flex items-center gap-2">
            <ListChecks className="size-4 text-muted-foreground" aria-hidden="true" />
            Running jobs
          </span>
        }
        description="Work in progress, live"
        actions={href ? <CardLink href={href}>All jobs</CardLink> : null}
      />
      <CardContent data-testid="running-jobs">
        {query.isPending ? (
          <ListSkeleton rows={3} />
        ) : query.isError ? (
          <ErrorState compact error={query.error} onRetry={() => void query.refetch()} />
        ) : query.data?.items.length ? (
          <JobList jobs={query.data.items} org={org} />
        ) : (
          <EmptyState
            compact
            icon={<ListChecks />}
            title="Nothing running"
            description="Jobs appear here while they run."
          />
        )}
      </CardContent>
    </Card>
  );
}

const ACTIVE_STATES = "PENDING,RUNNING,RETRYING";

function OrgJobsCard({ org }: { org: string }) {
  const trpc = useTRPC();
  const q = useQuery({
    ...trpc.jobs.listOrgJobs.queryOptions({ org, state: ACTIVE_STATES, limit: 6 }),
    refetchInterval: 5000,
  });
  return <JobsCard org={org} href={null} query={q} />;
}

function ProjectJobsCard({ org, project }: { org: string; project: string }) {
  const trpc = useTRPC();
  const q = useQuery({
    ...trpc.jobs.listProjectJobs.queryOptions({ org, project, state: ACTIVE_STATES, limit: 6 }),
    refetchInterval: 5000,
  });
  return <JobsCard org={org} href={`/${org}/${project}/jobs`} query={q} />;
}

// Activity --------------------------------------------------------------------------------------

function ActivityCard({ org, project }: { org: string; project?: string }) {
  const trpc = useTRPC();
  const q = useQuery({
    ...trpc.audit.listEvents.queryOptions({ org, project, limit: 8 }),
    refetchInterval: 30_000,
  });
  return (
    <Card>
      <CardHeader
        title={
          <span className="flex items-center gap-2">
            <Activity className="size-4 text-muted-foreground" aria-hidden="true" />
            Recent activity
          </span>
        }
        description={
          project ? "The latest changes in this project" : "The latest changes in the organisation"
        }
        actions={
          <CardLink href={`/${org}/activity${project ? `?project=${encodeURIComponent(project)}` : ""}`}>
            Activity log
          </CardLink>
        }
      />
      <CardContent data-testid="recent-activity">
        {q.isPending ? (
          <ListSkeleton rows={5} />
        ) : q.isError ? (
          <ErrorState compact error={q.error} onRetry={() => void q.refetch()} />
        ) : q.data.items.length === 0 ? (
          <EmptyState compact icon={<Activity />} title="No activity yet" />
        ) : (
          <ul className="flex flex-col gap-3.5">
            {q.data.items.map((e) => (
              <li key={e.id} className="flex items-start gap-3 text-sm">
                <span
                  className={cn(
                    "mt-1.5 size-2 shrink-0 rounded-full",
                    e.outcome === "success"
                      ? "bg-emerald-500"
                      : e.outcome === "denied"
                        ? "bg-amber-500"
                        : "bg-red-500",
                  )}
                  aria-hidden="true"
                />
                <div className="min-w-0 flex-1">
                  <p className="truncate">
                    <span title={e.action}>{describeAction(e.action)}</span>
                    {e.target?.name ? (
                      <span className="text-muted-foreground"> · {e.target.name}</span>
                    ) : null}
                    {e.outcome !== "success" ? (
                      <Badge tone={e.outcome === "denied" ? "warning" : "danger"} className="ml-2">
                        {e.outcome}
                      </Badge>
                    ) : null}
                  </p>
                  <p className="mt-0.5 truncate text-xs text-muted-foreground">
                    {e.actor.email ?? e.actor.type} · <RelativeTime date={e.createdAt} />
                  </p>
                </div>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}

// Pages -----------------------------------------------------------------------------------------

export function OrgDashboard({ org }: { org: string }) {
  const trpc = useTRPC();
  const perms = usePermissions({ org });
  const me = useQuery({ ...trpc.common.getMe.queryOptions(), staleTime: 60_000 });
  const membership = me.data?.memberships.find((m) => m.org.slug === org);
  if (me.isSuccess && !membership)
    return (
      <Card>
        <ErrorState error={{ message: `Organization ${org} not found`, data: { appCode: "NOT_FOUND" } }} />
      </Card>
    );
  const projects = membership?.projects ?? [];
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title={membership?.org.name ?? <Skeleton className="h-7 w-48" />}
        description="Overview of the organisation: resources, quotas, work in progress and recent changes."
        actions={
          perms.can("resourcemanager.project.list") ? (
            <Link href={`/${org}/projects`} className={buttonClasses({ variant: "outline" })}>
              <FolderKanban />
              Projects
            </Link>
          ) : null
        }
      />
      <ResourceCounts org={org} projectCount={membership ? projects.length : undefined} />
      <div className="grid gap-6 lg:grid-cols-2">
        {perms.can("quota.org.read") ? <OrgQuotaCard org={org} /> : null}
        {perms.ready &&
        (perms.can("job.job.list") || projects.some((p) => p.permissions.includes("job.job.list"))) ? (
          <OrgJobsCard org={org} />
        ) : null}
        {perms.can("audit.event.list") ? <ActivityCard org={org} /> : null}
        <Card>
          <CardHeader
            title={
              <span className="flex items-center gap-2">
                <FolderKanban className="size-4 text-muted-foreground" aria-hidden="true" />
                Your projects
              </span>
            }
            description="Open a project to work in it"
          />
          <CardContent>
            {me.isPending ? (
              <ListSkeleton rows={3} />
            ) : projects.length === 0 ? (
              <EmptyState compact icon={<FolderKanban />} title="No projects you can see" />
            ) : (
              <ul className="-mx-2 flex flex-col">
                {projects.map((p) => (
                  <li key={p.id}>
                    <Link
                      href={`/${org}/${p.slug}`}
                      className="flex h-10 items-center gap-3 rounded-md px-2 text-sm hover:bg-surface-muted"
                    >
                      <FolderKanban className="size-4 text-muted-foreground" aria-hidden="true" />
                      <span className="font-medium">{p.name}</span>
                      <span className="text-xs text-muted-foreground">{p.slug}</span>
                      <ArrowRight className="ml-auto size-4 text-muted-foreground" aria-hidden="true" />
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </CardContent>
        </Card>
      </div>
    </div>
  );
}

export function ProjectDashboard({ org, project }: { org: string; project: string }) {
  const trpc = useTRPC();
  const perms = usePermissions({ org, project });
  const p = useQuery(trpc.resourcemanager.getProject.queryOptions({ org, project }));
  const me = useQuery({ ...trpc.common.getMe.queryOptions(), staleTime: 60_000 });
  const orgName = me.data?.memberships.find((m) => m.org.slug === org)?.org.name ?? org;
  if (p.isError)
    return (
      <Card>
        <ErrorState error={p.error} onRetry={() => void p.refetch()} />
      </Card>
    );
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        breadcrumbs={[{ label: orgName, href: `/${org}` }, { label: p.data?.name ?? project }]}
        title={p.data?.name ?? <Skeleton className="h-7 w-40" />}
        meta={p.data ? <StatusPill status={p.data.status} /> : null}
        description={
          p.data?.description ||
          "Overview of the project: resources, quotas, work in progress and recent changes."
        }
      />
      <ResourceCounts org={org} project={project} />
      <div className="grid gap-6 lg:grid-cols-2">
        {perms.can("quota.project.read") ? <ProjectQuotaCard org={org} project={project} /> : null}
        {perms.can("job.job.list") ? <ProjectJobsCard org={org} project={project} /> : null}
        {perms.can("audit.event.list") ? <ActivityCard org={org} project={project} /> : null}
      </div>
    </div>
  );
}
