"use client";
// Project Quota page: the project's limits, usage and reservations per service; org admins edit
// limits inline (bounded by what is in use and what the organisation has left).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Gauge, Pencil, Plus } from "lucide-react";
import Link from "next/link";
import { useCallback, useState } from "react";
import { usePermissions } from "@/components/resources";
import { useTRPC } from "@/components/trpc";
import { Alert, Button, buttonClasses, ErrorState, PageHeader, toast } from "@/components/ui";
import { formatAmount, resourceLabel, type QuotaResource } from "./catalog";
import { LimitInput, LimitsEditBar, useLimitDraft } from "./limit-editor";
import { needingAction, QuotaGroups, QuotaGroupsSkeleton } from "./quota-groups";

export function ProjectQuotasView({ org, project }: { org: string; project: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const perms = usePermissions({ org, project });
  const quotas = useQuery(trpc.quota.getProjectQuotas.queryOptions({ project, org }));
  const [editing, setEditing] = useState(false);
  const data = quotas.data;

  const bounds = useCallback(
    (r: QuotaResource, n: number): string | null => {
      if (!data) return null;
      const inUse = data.usage[r] + data.reserved[r];
      if (n < inUse) return `At least ${formatAmount(r, inUse)} (in use)`;
      if (data.available) {
        const max = data.limits[r] + data.available[r];
        if (n > max)
          return `At most ${formatAmount(r, max)}: the organisation has ${formatAmount(r, data.available[r])} left`;
      }
      return null;
    },
    [data],
  );
  const draft = useLimitDraft(data?.limits, bounds);
  const save = useMutation(
    trpc.quota.updateProjectQuotas.mutationOptions({
      onSuccess: async (res) => {
        toast.success(
          "Limits saved",
          res.changes.map((c) => `${resourceLabel(c.resource)} ${c.before} → ${c.after}`).join(", ") ||
            "Nothing changed",
        );
        draft.reset();
        setEditing(false);
        await queryClient.invalidateQueries({ queryKey: trpc.quota.pathKey() });
      },
    }),
  );

  const canEdit = perms.can("quota.project.update");
  const canRequest = perms.can("quota.request.create");
  const requestHref = `/${org}/quota-requests/new?project=${encodeURIComponent(project)}`;
  const urgent = data ? needingAction(data) : [];
  const full = urgent.filter((u) => u.full);

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        breadcrumbs={[
          { label: data?.project.name ?? project, href: `/${org}/${project}` },
          { label: "Quotas" },
        ]}
        title="Quotas"
        description={`Limits of project ${data?.project.name ?? project}, carved out of the organisation's. Usage includes reservations of work in progress.`}
        actions={
          <>
            {canEdit && !editing ? (
              <Button variant="outline" icon={<Pencil />} onClick={() => setEditing(true)} disabled={!data}>
                Edit limits
              </Button>
            ) : null}
            {canRequest ? (
              <Link href={requestHref} className={buttonClasses({ variant: "primary" })}>
                <Plus className="size-4" aria-hidden="true" />
                Request increase
              </Link>
            ) : null}
          </>
        }
      />

      {full.length > 0 ? (
        <Alert
          tone="danger"
          title="Action required"
          action={
            canRequest ? (
              <Link href={requestHref} className={buttonClasses({ variant: "outline", size: "sm" })}>
                Request increase
              </Link>
            ) : null
          }
        >
          {full.map((u) => resourceLabel(u.resource)).join(", ")} {full.length === 1 ? "is" : "are"} at the
          limit: new resources of that kind will be refused until capacity is freed or the limit is raised.
        </Alert>
      ) : null}

      {editing && data ? (
        <LimitsEditBar
          draft={draft}
          idleHint="Change a limit below. Raising takes from what the organisation has left."
          saving={save.isPending}
          saveError={save.error}
          onCancel={() => {
            draft.reset();
            save.reset();
            setEditing(false);
          }}
          onSave={() => save.mutate({ project, org, limits: draft.changed })}
        />
      ) : null}

      {quotas.isPending ? (
        <QuotaGroupsSkeleton />
      ) : quotas.error ? (
        <ErrorState error={quotas.error} onRetry={() => void quotas.refetch()} retrying={quotas.isFetching} />
      ) : data ? (
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
                    hint={
                      data.available
                        ? `Up to ${formatAmount(r, data.limits[r] + data.available[r])}`
                        : undefined
                    }
                  />
                )
              : undefined
          }
          note={(r) =>
            data.reserved[r] > 0
              ? `${formatAmount(r, data.usage[r])} in use, ${formatAmount(r, data.reserved[r])} reserved by work in progress`
              : null
          }
        />
      ) : null}
      {data && !editing && !canEdit && !canRequest ? (
        <p className="flex items-center gap-2 text-sm text-muted-foreground">
          <Gauge className="size-4" aria-hidden="true" />
          You can read these quotas; project members can request increases and org admins change them.
        </p>
      ) : null}
    </div>
  );
}
