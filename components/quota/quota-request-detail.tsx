"use client";
// A quota request: what was asked and why, the limits then and now, and the decision. Approvers
// approve or reject it here with a comment for the requester.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Check, X } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { usePermissions } from "@/components/resources";
import { useTRPC } from "@/components/trpc";
import {
  Alert,
  Badge,
  Button,
  Card,
  CardContent,
  CardHeader,
  errorInfo,
  ErrorState,
  Field,
  formatDateTime,
  KeyValueList,
  PageHeader,
  RelativeTime,
  Skeleton,
  Textarea,
  toast,
} from "@/components/ui";
import { formatAmount, resourceLabel } from "./catalog";
import { requestSummary } from "./quota-request-kind";
import { PriorityBadge, RequestStatus } from "./request-status";

export function QuotaRequestDetail({ org, id }: { org: string; id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const perms = usePermissions({ org });
  const request = useQuery(trpc.quota.getQuotaRequest.queryOptions({ id }));
  const req = request.data;
  const pending = req?.status === "pending";

  // The limits now, to compare with the request (only while it is pending, and when readable).
  const projectNow = useQuery({
    ...trpc.quota.getProjectQuotas.queryOptions({ project: req?.project?.id ?? "", org }),
    enabled: Boolean(pending && req?.project),
  });
  const orgNow = useQuery({
    ...trpc.quota.getOrgQuotas.queryOptions({ org }),
    enabled: Boolean(pending && req && !req.project && perms.can("quota.org.read")),
  });
  const now = req?.project ? projectNow.data : orgNow.data;

  const [comment, setComment] = useState("");
  const onDecided = async (verb: string) => {
    toast.success(
      `Request ${verb}`,
      verb === "approved" ? "The new limits apply now." : "The requester has been told.",
    );
    setComment("");
    await queryClient.invalidateQueries({ queryKey: trpc.quota.pathKey() });
  };
  // A 409 means someone else decided first: refetch so the page shows their decision.
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.quota.getQuotaRequest.pathKey() });
  const approve = useMutation(
    trpc.quota.approveQuotaRequest.mutationOptions({
      onSuccess: () => onDecided("approved"),
      onError: refresh,
    }),
  );
  const reject = useMutation(
    trpc.quota.rejectQuotaRequest.mutationOptions({
      onSuccess: () => onDecided("rejected"),
      onError: refresh,
    }),
  );
  const failed = approve.error ?? reject.error;
  const failure = failed ? errorInfo(failed) : null;

  const breadcrumbs = [{ label: "Quota requests", href: `/${org}/quota-requests` }, { label: "Request" }];
  if (request.isPending) {
    return (
      <div className="flex flex-col gap-6">
        <PageHeader breadcrumbs={breadcrumbs} title="Quota request" />
        <Skeleton className="h-48 w-full" />
        <Skeleton className="h-40 w-full" />
      </div>
    );
  }
  if (request.error || !req) {
    return (
      <div className="flex flex-col gap-6">
        <PageHeader breadcrumbs={breadcrumbs} title="Quota request" />
        <ErrorState
          error={request.error}
          onRetry={() => void request.refetch()}
          retrying={request.isFetching}
        />
      </div>
    );
  }

  const canDecide = perms.can("quota.request.approve");
  // What approving would take from the organisation, for project requests (when readable).
  const room = req.project && projectNow.data?.available ? projectNow.data.available : null;
  const short =
    room && now
      ? req.resources
          .map((r) => ({ r: r.resource, need: r.limit - now.limits[r.resource], free: room[r.resource] }))
          .filter((x) => x.need > x.free)
      : [];
  const overOrg = short.length > 0 && !perms.isPlatform;
  const orgLevelBlocked = !req.project && !perms.isPlatform;
  const busy = approve.isPending || reject.isPending;
  const scope = req.project ? (
    <Link href={`/${req.org.slug}/${req.project.slug}/quotas`} className="text-primary hover:underline">
      Project {req.project.name}
    </Link>
  ) : (
    <Link href={`/${req.org.slug}/quotas`} className="text-primary hover:underline">
      Organisation {req.org.name}
    </Link>
  );

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        breadcrumbs={breadcrumbs}
        title={requestSummary(req)}
        meta={<RequestStatus status={req.status} />}
        description={
          <>
            Requested by {req.requester?.name ?? "a deleted user"} <RelativeTime date={req.createdAt} /> for{" "}
            {req.project ? `project ${req.project.name}` : `the organisation ${req.org.name}`}.
          </>
        }
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <div className="flex flex-col gap-6">
          <Card>
            <CardHeader title="Why" />
            <CardContent>
              <p className="text-sm whitespace-pre-wrap">{req.description}</p>
            </CardContent>
          </Card>
          <Card>
            <CardHeader
              title="Resources"
              description={
                pending
                  ? "The limits when the request was filed, what it asks for, and where they stand now."
                  : undefined
              }
            />
            <div className="overflow-x-auto">
              <table className="w-full text-sm" data-testid="request-resources">
                <thead>
                  <tr className="border-b border-border text-left text-xs text-muted-foreground">
                    <th scope="col" className="px-5 py-2.5 font-medium">
                      Resource
                    </th>
                    <th scope="col" className="px-3 py-2.5 text-right font-medium">
                      Limit then
                    </th>
                    <th scope="col" className="px-3 py-2.5 text-right font-medium">
                      Requested
                    </th>
                    {pending ? (
                      <>
                        <th scope="col" className="px-3 py-2.5 text-right font-medium">
                          Limit now
                        </th>
                        <th
                          scope="col"
                          className={`py-2.5 pl-3 text-right font-medium ${room ? "" : "pr-5"}`}
                        >
                          In use now
                        </th>
                        {room ? (
                          <th scope="col" className="px-5 py-2.5 text-right font-medium">
                            Free in organisation
                          </th>
                        ) : null}
                      </>
                    ) : null}
                  </tr>
                </thead>
                <tbody>
                  {req.resources.map((r) => (
                    <tr key={r.resource} className="border-b border-border last:border-0">
                      <th scope="row" className="px-5 py-3 text-left font-medium">
                        {resourceLabel(r.resource)}
                      </th>
                      <td className="px-3 py-3 text-right tabular-nums text-muted-foreground">
                        {formatAmount(r.resource, r.previousLimit)}
                      </td>
                      <td className="px-3 py-3 text-right tabular-nums">
                        <span className="font-semibold">{formatAmount(r.resource, r.limit)}</span>{" "}
                        <Badge tone="accent">+{(r.limit - r.previousLimit).toLocaleString("en")}</Badge>
                      </td>
                      {pending ? (
                        <>
                          <td className="px-3 py-3 text-right tabular-nums">
                            {now ? formatAmount(r.resource, now.limits[r.resource]) : "—"}
                          </td>
                          <td className={`py-3 pl-3 text-right tabular-nums ${room ? "" : "pr-5"}`}>
                            {now
                              ? formatAmount(r.resource, now.usage[r.resource] + now.reserved[r.resource])
                              : "—"}
                          </td>
                          {room ? (
                            <td className="px-5 py-3 text-right tabular-nums">
                              {formatAmount(r.resource, room[r.resource])}
                            </td>
                          ) : null}
                        </>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Card>
        </div>

        <div className="flex flex-col gap-6">
          <Card>
            <CardHeader title="Details" />
            <CardContent>
              <KeyValueList
                items={[
                  { label: "For", value: scope },
                  { label: "Priority", value: <PriorityBadge priority={req.priority} /> },
                  {
                    label: "Requested by",
                    value: req.requester
                      ? `${req.requester.name} (${req.requester.email})`
                      : "A deleted user",
                  },
                  { label: "Requested", value: formatDateTime(req.createdAt) },
                  {
                    label: "Tags",
                    value:
                      req.tags.length > 0 ? (
                        <span className="flex flex-wrap gap-1">
                          {req.tags.map((t) => (
                            <Badge key={t}>{t}</Badge>
                          ))}
                        </span>
                      ) : (
                        "None"
                      ),
                  },
                  { label: "Request id", value: req.id, mono: true, copy: req.id },
                ]}
              />
            </CardContent>
          </Card>

          <Card data-testid="decision">
            <CardHeader title="Decision" />
            <CardContent className="flex flex-col gap-4">
              {!pending ? (
                <div className="flex flex-col gap-2 text-sm">
                  <p>
                    <RequestStatus status={req.status} /> by {req.decidedBy?.name ?? "a deleted user"}
                    {req.decidedAt ? <> on {formatDateTime(req.decidedAt)}</> : null}.
                  </p>
                  {req.decisionComment ? (
                    <blockquote className="border-l-2 border-border-strong pl-3 text-muted-foreground whitespace-pre-wrap">
                      {req.decisionComment}
                    </blockquote>
                  ) : null}
                </div>
              ) : canDecide ? (
                <>
                  {short.length > 0 ? (
                    <Alert tone={overOrg ? "warning" : "info"}>
                      {short
                        .map(
                          (x) =>
                            `${resourceLabel(x.r)} needs ${formatAmount(x.r, x.need)} more; ${req.org.name} has ${formatAmount(x.r, x.free)} free`,
                        )
                        .join(". ")}
                      .{" "}
                      {overOrg
                        ? "Only a cloud operator can approve beyond the organisation's limit (or lower another project's limit first)."
                        : `Approving raises ${req.org.name}'s limit to make room.`}
                    </Alert>
                  ) : null}
                  {orgLevelBlocked ? (
                    <Alert tone="info">
                      This request raises the organisation&apos;s own limits: only a cloud operator can
                      approve it. You can still reject it.
                    </Alert>
                  ) : null}
                  <Field label="Comment for the requester" hint="Optional; shown with the decision.">
                    <Textarea
                      value={comment}
                      onChange={(e) => setComment(e.target.value)}
                      rows={3}
                      maxLength={2000}
                    />
                  </Field>
                  {failure ? (
                    <Alert
                      tone="danger"
                      title={failure.code === "CONFLICT" ? "Already decided" : "Not decided"}
                    >
                      {failure.message}
                    </Alert>
                  ) : null}
                  <div className="flex flex-wrap gap-2">
                    <Button
                      icon={<Check />}
                      loading={approve.isPending}
                      disabled={busy || orgLevelBlocked || overOrg}
                      onClick={() => {
                        reject.reset();
                        approve.mutate({ id, comment: comment.trim() || undefined });
                      }}
                    >
                      Approve
                    </Button>
                    <Button
                      variant="outline"
                      icon={<X />}
                      loading={reject.isPending}
                      disabled={busy}
                      onClick={() => {
                        approve.reset();
                        reject.mutate({ id, comment: comment.trim() || undefined });
                      }}
                    >
                      Reject
                    </Button>
                  </div>
                </>
              ) : (
                <p className="text-sm text-muted-foreground">
                  Waiting for a decision. You will get a notification when an admin approves or rejects it.
                </p>
              )}
            </CardContent>
          </Card>
        </div>
      </div>
    </div>
  );
}
