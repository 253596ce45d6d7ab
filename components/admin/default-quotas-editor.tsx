"use client";
// Admin · Default quotas: what a new organisation and a new project start with, per resource.
// Changes apply to organisations and projects created afterwards, never to existing ones.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { resourceLabel, serviceGroups, type QuotaResource } from "@/components/quota/catalog";
import { useTRPC } from "@/components/trpc";
import {
  Alert,
  Button,
  Card,
  CardFooter,
  CardHeader,
  errorInfo,
  ErrorState,
  Input,
  PageHeader,
  RelativeTime,
  Skeleton,
  toast,
} from "@/components/ui";
import { OperatorsOnly } from "./operators-only";

type Draft = Partial<Record<QuotaResource, { org?: string; project?: string }>>;

export function DefaultQuotasView() {
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        breadcrumbs={[{ label: "Admin" }, { label: "Default quotas" }]}
        title="Default quotas"
        description="The limits a new organisation starts with, and what each new project is carved (never more than its organisation has left). Existing organisations and projects keep their limits."
      />
      <OperatorsOnly>
        <DefaultQuotasEditor />
      </OperatorsOnly>
    </div>
  );
}

function DefaultQuotasEditor() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const defaults = useQuery(trpc.ops.getDefaultQuotas.queryOptions({}));
  const [draft, setDraft] = useState<Draft>({});
  const save = useMutation(
    trpc.ops.updateDefaultQuotas.mutationOptions({
      onSuccess: async () => {
        toast.success("Default quotas saved", "New organisations and projects start with them.");
        setDraft({});
        await queryClient.invalidateQueries({ queryKey: trpc.ops.getDefaultQuotas.pathKey() });
      },
    }),
  );

  const byResource = useMemo(
    () => new Map((defaults.data?.items ?? []).map((d) => [d.resource, d])),
    [defaults.data],
  );
  const { errors, changes } = useMemo(() => {
    const errors: Partial<Record<QuotaResource, { org?: string; project?: string }>> = {};
    const changes: { resource: QuotaResource; orgLimit?: number; projectLimit?: number }[] = [];
    for (const [resource, d] of Object.entries(draft) as [
      QuotaResource,
      { org?: string; project?: string },
    ][]) {
      const current = byResource.get(resource);
      if (!current) continue;
      const orgText = d.org ?? String(current.orgLimit);
      const projectText = d.project ?? String(current.projectLimit);
      const e: { org?: string; project?: string } = {};
      if (!/^\d+$/.test(orgText.trim())) e.org = "Whole number";
      if (!/^\d+$/.test(projectText.trim())) e.project = "Whole number";
      if (!e.org && !e.project && Number(projectText) > Number(orgText))
        e.project = "At most the org default";
      if (e.org || e.project) {
        errors[resource] = e;
        continue;
      }
      const orgLimit = Number(orgText);
      const projectLimit = Number(projectText);
      if (orgLimit !== current.orgLimit || projectLimit !== current.projectLimit)
        changes.push({
          resource,
          ...(orgLimit !== current.orgLimit ? { orgLimit } : {}),
          ...(projectLimit !== current.projectLimit ? { projectLimit } : {}),
        });
    }
    return { errors, changes };
  }, [draft, byResource]);
  const hasErrors = Object.keys(errors).length > 0;

  if (defaults.isPending) return <Skeleton className="h-[32rem] w-full" />;
  if (defaults.error)
    return (
      <ErrorState
        error={defaults.error}
        onRetry={() => void defaults.refetch()}
        retrying={defaults.isFetching}
      />
    );

  const set = (r: QuotaResource, which: "org" | "project", v: string) =>
    setDraft((d) => ({ ...d, [r]: { ...d[r], [which]: v } }));

  return (
    <Card>
      <CardHeader
        title="Limits for new tenants"
        description="Per resource: the organisation's limit, and what each of its new projects gets."
      />
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <thead>
            <tr className="border-b border-border text-left text-xs text-muted-foreground">
              <th scope="col" className="px-5 py-2.5 font-medium">
                Resource
              </th>
              <th scope="col" className="w-40 px-3 py-2.5 text-right font-medium">
                New organisation
              </th>
              <th scope="col" className="w-40 px-3 py-2.5 text-right font-medium">
                New project
              </th>
              <th scope="col" className="px-5 py-2.5 text-right font-medium">
                Last changed
              </th>
            </tr>
          </thead>
          {serviceGroups.map((g) => (
            <tbody key={g.service}>
              <tr className="bg-surface-muted/60">
                <th
                  colSpan={4}
                  scope="colgroup"
                  className="px-5 py-1.5 text-left text-xs font-semibold tracking-wide text-muted-foreground uppercase"
                >
                  {g.service}
                </th>
              </tr>
              {g.resources.map((r) => {
                const d = byResource.get(r);
                if (!d) return null;
                const e = errors[r];
                const label = resourceLabel(r);
                const unit = d.unit ? ` (${d.unit})` : "";
                return (
                  <tr key={r} className="border-b border-border last:border-0" data-testid={`default-${r}`}>
                    <th scope="row" className="px-5 py-2.5 text-left font-medium">
                      {label}
                      <span className="font-normal text-muted-foreground">{unit}</span>
                    </th>
                    <td className="px-3 py-2 align-top">
                      <Input
                        aria-label={`${label}: new organisation limit`}
                        inputMode="numeric"
                        value={draft[r]?.org ?? String(d.orgLimit)}
                        onChange={(ev) => set(r, "org", ev.target.value)}
                        aria-invalid={e?.org ? true : undefined}
                        className="h-8 text-right tabular-nums"
                      />
                      {e?.org ? (
                        <p className="mt-1 text-right text-xs font-medium text-danger">{e.org}</p>
                      ) : null}
                    </td>
                    <td className="px-3 py-2 align-top">
                      <Input
                        aria-label={`${label}: new project limit`}
                        inputMode="numeric"
                        value={draft[r]?.project ?? String(d.projectLimit)}
                        onChange={(ev) => set(r, "project", ev.target.value)}
                        aria-invalid={e?.project ? true : undefined}
                        className="h-8 text-right tabular-nums"
                      />
                      {e?.project ? (
                        <p className="mt-1 text-right text-xs font-medium text-danger">{e.project}</p>
                      ) : null}
                    </td>
                    <td className="px-5 py-2.5 text-right text-xs text-muted-foreground">
                      {d.updatedAt ? <RelativeTime date={d.updatedAt} /> : "Never"}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          ))}
        </table>
      </div>
      {save.error ? (
        <div className="px-5 pb-4">
          <Alert tone="danger" title="Not saved">
            {errorInfo(save.error).message}
          </Alert>
        </div>
      ) : null}
      <CardFooter className="justify-between">
        <p className="text-sm text-muted-foreground">
          {hasErrors
            ? "Fix the highlighted values to save."
            : changes.length === 0
              ? "No changes."
              : `${changes.length} ${changes.length === 1 ? "resource" : "resources"} changed.`}
        </p>
        <div className="flex gap-2">
          <Button variant="ghost" disabled={Object.keys(draft).length === 0} onClick={() => setDraft({})}>
            Discard
          </Button>
          <Button
            loading={save.isPending}
            disabled={hasErrors || changes.length === 0}
            onClick={() => save.mutate({ items: changes })}
          >
            Save defaults
          </Button>
        </div>
      </CardFooter>
    </Card>
  );
}
