"use client";
// Tenant Quota page: the organisation's limits and usage (summed over its projects) per service,
// how much is allocated to projects, the per-project breakdown, and "Request increase". Operators
// edit the organisation's limits here; members without org access see their projects' quotas.
import { useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { FolderKanban, Pencil, Plus } from "lucide-react";
import Link from "next/link";
import { useCallback, useState } from "react";
import { usePermissions } from "@/components/resources";
import { useTRPC } from "@/components/trpc";
import {
  Alert,
  Badge,
  Button,
  buttonClasses,
  Card,
  CardContent,
  EmptyState,
  ErrorState,
  PageHeader,
  QuotaBar,
  Skeleton,
  toast,
} from "@/components/ui";
import { formatAmount, quotaResourceNames, resourceLabel, resourceUnit, type QuotaResource } from "./catalog";
import { LimitInput, LimitsEditBar, useLimitDraft } from "./limit-editor";
import { ProjectBreakdown } from "./project-breakdown";
import { needingAction, QuotaGroups, QuotaGroupsSkeleton } from "./quota-groups";
import { useCanRequest } from "./use-can-request";

export function OrgQuotasView({ org }: { org: string }) {
  const perms = usePermissions({ org });
  if (!perms.ready) return <QuotaGroupsSkeleton />;
  if (!perms.can("quota.org.read")) return <MyProjectQuotas org={org} />;
  return (
    <OrgQuotas
      org={org}
      canEditOrg={perms.can("platform.quota.update")}
      canRequest={perms.can("quota.request.create")}
    />
  );
}

function OrgQuotas({
  org,
  canEditOrg,
  canRequest,
}: {
  org: string;
  canEditOrg: boolean;
  canRequest: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const quotas = useQuery(trpc.quota.getOrgQuotas.queryOptions({ org }));
  const data = quotas.data;
  const [editing, setEditing] = useState(false);
  const bounds = useCallback(
    (r: QuotaResource, n: number) =>
      data && n < data.allocated[r]
        ? `At least ${formatAmount(r, data.allocated[r])} (allocated to projects)`
        : null,
    [data],
  );
  const draft = useLimitDraft(data?.limits, bounds);
  const save = useMutation(
    trpc.ops.updateOrgQuotas.mutationOptions({
      onSuccess: async (res) => {
        toast.success(
          "Organisation limits saved",
          res.changes.map((c) => `${resourceLabel(c.resource)} ${c.before} → ${c.after}`).join(", ") ||
            "Nothing changed",
        );
        draft.reset();
        setEditing(false);
        await queryClient.invalidateQueries({ queryKey: trpc.quota.pathKey() });
      },
    }),
  );
  const full = data ? needingAction(data).filter((u) => u.full) : [];
  const projectsAtLimit = (data?.projects ?? [])
    .map((p) => ({ p, full: needingAction(p).filter((u) => u.full) }))
    .filter((x) => x.full.length > 0);

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Quotas"
        description={`Limits of ${data?.org.name ?? org} and what its projects use of them. Project limits are carved out of these.`}
        actions={
          <>
            {canEditOrg && !editing ? (
              <Button variant="outline" icon={<Pencil />} onClick={() => setEditing(true)} disabled={!data}>
                Edit organisation limits
              </Button>
            ) : null}
            {canRequest ? (
              <Link href={`/${org}/quota-requests/new`} className={buttonClasses({ variant: "primary" })}>
                <Plus className="size-4" aria-hidden="true" />
                Request increase
              </Link>
            ) : null}
          </>
        }
      />
      {full.length > 0 ? (
        <Alert tone="danger" title="Action required">
          {full.map((u) => resourceLabel(u.resource)).join(", ")} {full.length === 1 ? "is" : "are"} used up
          across the organisation. Free capacity in a project or request an increase.
        </Alert>
      ) : null}
      {projectsAtLimit.length > 0 ? (
        <Alert tone="warning" title="Projects at a limit">
          <ul className="flex flex-col gap-0.5">
            {projectsAtLimit.map(({ p, full: f }) => (
              <li key={p.id}>
                <Link
                  href={`/${org}/${p.slug}/quotas`}
                  className="font-medium underline-offset-2 hover:underline"
                >
                  {p.name}
                </Link>
                : {f.map((u) => resourceLabel(u.resource)).join(", ")}. New resources of that kind are refused
                there until capacity is freed or its limit is raised.
              </li>
            ))}
          </ul>
        </Alert>
      ) : null}
      {editing && data ? (
        <LimitsEditBar
          draft={draft}
          idleHint="Operator edit: an organisation's limit never goes below what its projects hold."
          saving={save.isPending}
          saveError={save.error}
          onCancel={() => {
            draft.reset();
            save.reset();
            setEditing(false);
          }}
          onSave={() => save.mutate({ org, limits: draft.changed })}
        />
      ) : null}
      {quotas.isPending ? (
        <QuotaGroupsSkeleton />
      ) : quotas.error ? (
        <ErrorState error={quotas.error} onRetry={() => void quotas.refetch()} retrying={quotas.isFetching} />
      ) : data ? (
        <>
          <QuotaGroups
            figures={data}
            aside={
              editing
                ? (r) => (
                    <LimitInput
                      resource={r}
                      value={draft.value(r)}
                      onChange={(v) => draft.set(r, v)}
                      error={draft.errors[r]}
                      hint={`At least ${formatAmount(r, data.allocated[r])}`}
                    />
                  )
                : undefined
            }
            note={(r) =>
              `${formatAmount(r, data.allocated[r])} allocated to projects · ${formatAmount(r, data.available[r])} free to allocate`
            }
          />
          <ProjectBreakdown org={org} projects={data.projects} />
        </>
      ) : null}
    </div>
  );
}

/** For members without access to the organisation's quotas: the quotas of the projects they work in. */
function MyProjectQuotas({ org }: { org: string }) {
  const trpc = useTRPC();
  const me = useQuery({ ...trpc.common.getMe.queryOptions(), staleTime: 60_000 });
  const membership = me.data?.memberships.find((m) => m.org.slug === org || m.org.id === org);
  const projects = (membership?.projects ?? []).filter((p) => p.permissions.includes("quota.project.read"));
  const canRequest = useCanRequest(org);
  const results = useQueries({
    queries: projects.map((p) => trpc.quota.getProjectQuotas.queryOptions({ project: p.id, org })),
  });
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Quotas"
        description="You see the quotas of the projects you work in; the organisation's totals are for its admins and readers."
        actions={
          canRequest ? (
            <Link href={`/${org}/quota-requests/new`} className={buttonClasses({ variant: "primary" })}>
              <Plus className="size-4" aria-hidden="true" />
              Request increase
            </Link>
          ) : null
        }
      />
      {me.isPending ? (
        <Skeleton className="h-40 w-full" />
      ) : projects.length === 0 ? (
        <Card>
          <EmptyState
            icon={<FolderKanban />}
            title="No project quotas to show"
            description="You have no role in a project of this organisation that can read quotas."
          />
        </Card>
      ) : (
        <div className="grid gap-6 lg:grid-cols-2">
          {projects.map((p, i) => {
            const q = results[i];
            const top = q?.data ? topResources(q.data) : [];
            return (
              <Card key={p.id}>
                <div className="flex items-center justify-between gap-3 border-b border-border px-5 py-4">
                  <h2 className="text-sm font-semibold">{p.name}</h2>
                  <div className="flex items-center gap-2">
                    {q?.data && needingAction(q.data).some((u) => u.full) ? (
                      <Badge tone="danger">Action required</Badge>
                    ) : null}
                    <Link
                      href={`/${org}/${p.slug}/quotas`}
                      className={buttonClasses({ variant: "outline", size: "sm" })}
                    >
                      All quotas
                    </Link>
                  </div>
                </div>
                <CardContent className="flex flex-col gap-4">
                  {!q || q.isPending ? (
                    <Skeleton className="h-24 w-full" />
                  ) : q.error ? (
                    <ErrorState compact error={q.error} onRetry={() => void q.refetch()} />
                  ) : (
                    top.map((r) => (
                      <QuotaBar
                        key={r}
                        label={resourceLabel(r)}
                        used={q.data.usage[r]}
                        pending={q.data.reserved[r]}
                        limit={q.data.limits[r]}
                        unit={resourceUnit(r) || undefined}
                      />
                    ))
                  )}
                </CardContent>
              </Card>
            );
          })}
        </div>
      )}
    </div>
  );
}

/** The four most used resources of a project (by share of the limit). */
function topResources(f: {
  limits: Record<QuotaResource, number>;
  usage: Record<QuotaResource, number>;
  reserved: Record<QuotaResource, number>;
}): QuotaResource[] {
  // Stable sort: equal shares keep the catalogue's order (instances, vCPUs, RAM...).
  return quotaResourceNames
    .map((r) => ({ r, share: f.limits[r] > 0 ? (f.usage[r] + f.reserved[r]) / f.limits[r] : 0 }))
    .sort((a, b) => b.share - a.share)
    .slice(0, 4)
    .map((x) => x.r);
}
