"use client";
// The quota increase request form: scope (one of the caller's projects, or the organisation),
// why, priority, resources with their new limits (showing the current limit and usage), tags.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Plus, Trash2 } from "lucide-react";
import { useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc";
import {
  Alert,
  Button,
  Card,
  CardContent,
  CardFooter,
  CardHeader,
  EmptyState,
  errorInfo,
  Field,
  Input,
  PageHeader,
  Select,
  Skeleton,
  Textarea,
  toast,
} from "@/components/ui";
import {
  formatAmount,
  isQuotaResourceName,
  resourceLabel,
  resourceOptions,
  type QuotaResource,
} from "./catalog";

const ORG_SCOPE = "__org__";

interface Row {
  key: number;
  resource: QuotaResource | "";
  limit: string;
}

export function QuotaRequestForm({ org }: { org: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const params = useSearchParams();
  const me = useQuery({ ...trpc.common.getMe.queryOptions(), staleTime: 60_000 });

  const membership = me.data?.memberships.find((m) => m.org.slug === org || m.org.id === org);
  const platform = new Set(me.data?.platformPermissions ?? []);
  const orgPerms = new Set([...(membership?.permissions ?? []), ...platform]);
  const projects = (membership?.projects ?? []).filter(
    (p) => p.permissions.includes("quota.request.create") || orgPerms.has("quota.request.create"),
  );
  const canOrgLevel = orgPerms.has("quota.request.create");

  const wantedProject = params.get("project");
  const wantedResource = params.get("resource");
  const [scope, setScope] = useState<string | null>(null);
  const defaultScope =
    projects.find((p) => p.slug === wantedProject || p.id === wantedProject)?.slug ??
    (wantedProject === null && canOrgLevel && params.get("scope") === "org"
      ? ORG_SCOPE
      : projects[0]?.slug) ??
    (canOrgLevel ? ORG_SCOPE : "");
  const currentScope = scope ?? defaultScope;
  const isOrg = currentScope === ORG_SCOPE;

  const projectQuotas = useQuery({
    ...trpc.quota.getProjectQuotas.queryOptions({ project: currentScope, org }),
    enabled: Boolean(currentScope) && !isOrg,
  });
  const orgQuotas = useQuery({
    ...trpc.quota.getOrgQuotas.queryOptions({ org }),
    enabled: isOrg && orgPerms.has("quota.org.read"),
  });
  const figures = isOrg ? orgQuotas.data : projectQuotas.data;

  const [description, setDescription] = useState("");
  const [priority, setPriority] = useState<"High" | "Medium" | "Low">("Medium");
  const [tags, setTags] = useState("");
  const [rows, setRows] = useState<Row[]>(() => [
    {
      key: 0,
      resource: wantedResource && isQuotaResourceName(wantedResource) ? wantedResource : "",
      limit: "",
    },
  ]);
  const [touched, setTouched] = useState(false);

  const tagList = useMemo(
    () =>
      tags
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean),
    [tags],
  );

  const rowErrors = rows.map((row, i) => {
    if (!row.resource) return { resource: "Pick a resource" };
    if (rows.findIndex((r) => r.resource === row.resource) !== i)
      return { resource: "Already in this request" };
    if (!/^\d+$/.test(row.limit.trim())) return { limit: "Enter a whole number" };
    const current = figures?.limits[row.resource];
    if (current !== undefined && Number(row.limit) <= current)
      return { limit: `More than the current ${formatAmount(row.resource, current)}` };
    return {};
  });
  const errors = {
    description: description.trim() ? null : "Say why the increase is needed",
    tags:
      tagList.length > 10
        ? "At most 10 tags"
        : tagList.some((t) => t.length > 40)
          ? "Each tag at most 40 characters"
          : null,
    scope: currentScope ? null : "Pick a project",
  };
  const invalid =
    Boolean(errors.description || errors.tags || errors.scope) ||
    rowErrors.some((e) => e.resource || e.limit);

  const create = useMutation(
    trpc.quota.createQuotaRequest.mutationOptions({
      onSuccess: async (req) => {
        toast.success("Request sent", "The organisation's admins have been notified.");
        await queryClient.invalidateQueries({ queryKey: trpc.quota.listQuotaRequests.pathKey() });
        router.push(`/${org}/quota-requests/${req.id}`);
      },
    }),
  );
  const serverError = create.error ? errorInfo(create.error) : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (invalid) return;
    create.mutate({
      org,
      project: isOrg ? undefined : currentScope,
      description: description.trim(),
      priority,
      resources: rows.map((r) => ({ resource: r.resource as QuotaResource, limit: Number(r.limit) })),
      tags: tagList,
    });
  };

  const header = (
    <PageHeader
      breadcrumbs={[{ label: "Quota requests", href: `/${org}/quota-requests` }, { label: "New request" }]}
      title="Request a quota increase"
      description="Org admins decide project requests within the organisation's limits; a cloud operator decides anything beyond them."
    />
  );
  if (me.isPending) {
    return (
      <div className="flex flex-col gap-6">
        {header}
        <Skeleton className="h-96 w-full max-w-3xl" />
      </div>
    );
  }
  if (projects.length === 0 && !canOrgLevel) {
    return (
      <div className="flex flex-col gap-6">
        {header}
        <Card className="max-w-3xl">
          <EmptyState
            title="You cannot request quota increases here"
            description="Requests are filed by members of a project (for that project) or by org admins."
          />
        </Card>
      </div>
    );
  }

  return (
    <div className="flex flex-col gap-6">
      {header}
      <form onSubmit={submit} noValidate className="max-w-3xl">
        <Card>
          <CardHeader title="Request" />
          <CardContent className="flex flex-col gap-5">
            <div className="grid gap-4 sm:grid-cols-2">
              <Field
                label="For"
                required
                error={touched ? errors.scope : null}
                hint={
                  isOrg
                    ? "Raises the organisation's own limits: a cloud operator decides."
                    : "The project's limits."
                }
              >
                <Select
                  value={currentScope}
                  onChange={(e) => setScope(e.target.value)}
                  options={[
                    ...projects.map((p) => ({ value: p.slug, label: `Project ${p.name}` })),
                    ...(canOrgLevel ? [{ value: ORG_SCOPE, label: "The whole organisation" }] : []),
                  ]}
                />
              </Field>
              <Field label="Priority" required>
                <Select
                  value={priority}
                  onChange={(e) => setPriority(e.target.value as typeof priority)}
                  options={[
                    { value: "High", label: "High: work is blocked" },
                    { value: "Medium", label: "Medium: needed soon" },
                    { value: "Low", label: "Low: planning ahead" },
                  ]}
                />
              </Field>
            </div>
            <Field label="Why is it needed?" required error={touched ? errors.description : null}>
              <Textarea
                value={description}
                onChange={(e) => setDescription(e.target.value)}
                maxLength={2000}
                placeholder="E.g. the launch on 3 March needs 12 more web servers for two weeks."
              />
            </Field>

            <fieldset className="flex flex-col gap-3">
              <legend className="mb-2 text-sm font-medium">Resources</legend>
              {rows.map((row, i) => {
                const err = touched || row.limit ? rowErrors[i] : {};
                const r = row.resource || null;
                return (
                  <div
                    key={row.key}
                    className="grid items-start gap-3 rounded-md border border-border p-3 sm:grid-cols-[1fr_10rem_auto]"
                  >
                    <Field label="Resource" error={touched ? err?.resource : null}>
                      <Select
                        value={row.resource}
                        placeholder="Pick a resource"
                        options={resourceOptions}
                        onChange={(e) =>
                          setRows((rs) =>
                            rs.map((x) =>
                              x.key === row.key
                                ? { ...x, resource: e.target.value as QuotaResource | "" }
                                : x,
                            ),
                          )
                        }
                      />
                    </Field>
                    <Field
                      label="New limit"
                      error={
                        err?.limit ??
                        (serverError?.field === `resources.${i}.limit` ? serverError.message : null)
                      }
                    >
                      <Input
                        inputMode="numeric"
                        value={row.limit}
                        onChange={(e) =>
                          setRows((rs) =>
                            rs.map((x) => (x.key === row.key ? { ...x, limit: e.target.value } : x)),
                          )
                        }
                        className="text-right tabular-nums"
                      />
                    </Field>
                    <div className="flex h-full items-end pb-0.5">
                      <Button
                        variant="ghost"
                        size="icon"
                        aria-label={`Remove ${r ? resourceLabel(r) : "this resource"}`}
                        disabled={rows.length === 1}
                        onClick={() => setRows((rs) => rs.filter((x) => x.key !== row.key))}
                      >
                        <Trash2 />
                      </Button>
                    </div>
                    {r ? (
                      <p className="text-xs text-muted-foreground sm:col-span-3" data-testid={`current-${r}`}>
                        {figures
                          ? `Current limit ${formatAmount(r, figures.limits[r])} · in use ${formatAmount(
                              r,
                              figures.usage[r] + figures.reserved[r],
                            )}`
                          : isOrg && !orgPerms.has("quota.org.read")
                            ? "The organisation's figures are not visible to you."
                            : "Loading the current limit…"}
                      </p>
                    ) : null}
                  </div>
                );
              })}
              <div>
                <Button
                  variant="outline"
                  size="sm"
                  icon={<Plus />}
                  disabled={rows.length >= 14}
                  onClick={() =>
                    setRows((rs) => [
                      ...rs,
                      { key: Math.max(...rs.map((x) => x.key)) + 1, resource: "", limit: "" },
                    ])
                  }
                >
                  Add resource
                </Button>
              </div>
            </fieldset>

            <Field
              label="Tags"
              hint="Optional, comma-separated: a cost centre, a ticket number…"
              error={errors.tags}
            >
              <Input value={tags} onChange={(e) => setTags(e.target.value)} placeholder="launch, CC-1042" />
            </Field>

            {serverError && !serverError.field?.startsWith("resources.") ? (
              <Alert tone="danger" title="The request was not sent">
                {serverError.message}
                {serverError.requestId ? (
                  <span className="mt-1 block text-xs opacity-75">Request id {serverError.requestId}</span>
                ) : null}
              </Alert>
            ) : null}
          </CardContent>
          <CardFooter>
            <Button variant="ghost" onClick={() => router.push(`/${org}/quota-requests`)}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending} disabled={touched && invalid}>
              Send request
            </Button>
          </CardFooter>
        </Card>
      </form>
    </div>
  );
}
