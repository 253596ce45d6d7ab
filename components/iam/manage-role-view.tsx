"use client";
// Manage Role: one user's role assignments in the organisation, each with its scope and Remove,
// and assigning a role (system or custom) at organisation scope or in one project. A change
// applies on the user's next request: permissions are resolved per request.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { MailPlus, RotateCcw, ShieldPlus, Trash2, UserMinus, UserX } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { usePermissions } from "@/components/resources";
import { useTRPC, type RouterOutputs } from "@/components/trpc";
import {
  Alert,
  Badge,
  Button,
  Card,
  CardContent,
  CardHeader,
  ConfirmDialog,
  EmptyState,
  errorInfo,
  ErrorState,
  Field,
  formatDateTime,
  KeyValueList,
  PageHeader,
  RelativeTime,
  Select,
  Skeleton,
  StatusPill,
  toast,
  Tooltip,
} from "@/components/ui";
import { ResendInvitationDialog } from "./resend-invitation-dialog";
import { RolePicker } from "./role-picker";
import { ScopeBadge } from "./scope-badge";
import { useMyAccess } from "./use-my-access";

type User = RouterOutputs["iam"]["getUser"];
type Binding = User["roles"][number];

export function ManageRoleView({ org, userId }: { org: string; userId: string }) {
  const trpc = useTRPC();
  const user = useQuery(trpc.iam.getUser.queryOptions({ org, userId }));
  if (user.error)
    return (
      <div className="flex flex-col gap-6">
        <PageHeader
          title="Manage role"
          breadcrumbs={[{ label: "Users", href: `/${org}/iam/users` }, { label: userId }]}
        />
        <ErrorState error={user.error} onRetry={() => void user.refetch()} retrying={user.isFetching} />
      </div>
    );
  if (!user.data)
    return (
      <div className="flex flex-col gap-6" aria-busy="true">
        <Skeleton className="h-16 w-96" />
        <Skeleton className="h-48 w-full" />
        <Skeleton className="h-80 w-full" />
      </div>
    );
  return <ManageRole org={org} user={user.data} />;
}

function ManageRole({ org, user }: { org: string; user: User }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const perms = usePermissions({ org });
  const access = useMyAccess(org);
  const self = access.userId === user.id;
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.iam.pathKey() });
  const [confirm, setConfirm] = useState<"suspend" | "remove" | null>(null);
  const [removing, setRemoving] = useState<Binding | null>(null);
  const [resending, setResending] = useState(false);

  const suspend = useMutation(trpc.iam.suspendUser.mutationOptions({ onSuccess: refresh }));
  const reactivate = useMutation(
    trpc.iam.reactivateUser.mutationOptions({
      onSuccess: async () => {
        toast.success(`${user.email} is active again`);
        await refresh();
      },
      onError: (e) => toast.error("Reactivation failed", e),
    }),
  );
  const remove = useMutation(trpc.iam.removeUser.mutationOptions({ onSuccess: refresh }));
  const unbind = useMutation(trpc.iam.deleteRoleBinding.mutationOptions({ onSuccess: refresh }));

  const statusActions = (
    <>
      {user.status === "invited" && perms.can("iam.user.invite") ? (
        <Button variant="outline" icon={<MailPlus />} onClick={() => setResending(true)}>
          New invitation link
        </Button>
      ) : null}
      {perms.can("iam.user.suspend") ? (
        user.status === "suspended" ? (
          <Button
            variant="outline"
            icon={<RotateCcw />}
            loading={reactivate.isPending}
            onClick={() => reactivate.mutate({ org, userId: user.id })}
          >
            Reactivate
          </Button>
        ) : (
          <Tooltip
            content={self ? "You cannot suspend yourself" : "End their sessions and stop their API tokens"}
          >
            <Button variant="outline" icon={<UserX />} disabled={self} onClick={() => setConfirm("suspend")}>
              Suspend
            </Button>
          </Tooltip>
        )
      ) : null}
      {perms.can("iam.user.remove") ? (
        <Button variant="danger" icon={<UserMinus />} disabled={self} onClick={() => setConfirm("remove")}>
          Remove
        </Button>
      ) : null}
    </>
  );

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title={user.name}
        description={user.email}
        meta={<StatusPill status={user.status} />}
        breadcrumbs={[{ label: "Users", href: `/${org}/iam/users` }, { label: user.email }]}
        actions={statusActions}
      />
      {user.status === "suspended" ? (
        <Alert tone="warning" title="Suspended">
          {user.name} cannot sign in and their API tokens are refused. Their role assignments are kept for
          when they are reactivated.
        </Alert>
      ) : null}
      {user.status === "invited" ? (
        <Alert tone="info" title="Invitation pending">
          {user.invitationExpiresAt
            ? `The invitation link expires on ${formatDateTime(user.invitationExpiresAt)}.`
            : "The invitation link has expired or was replaced: issue a new one."}
        </Alert>
      ) : null}

      <Card>
        <CardContent>
          <KeyValueList
            columns={3}
            items={[
              { label: "Email", value: user.email, copy: user.email },
              {
                label: "Sign-in",
                value:
                  user.signIn === "sso"
                    ? "Single sign-on"
                    : user.signIn === "password"
                      ? "Password"
                      : "Not set up yet",
              },
              {
                label: "Last sign-in",
                value: user.lastLoginAt ? <RelativeTime date={user.lastLoginAt} /> : "Never",
              },
              { label: "Joined", value: <RelativeTime date={user.joinedAt} /> },
              { label: "User id", value: user.id, mono: true, copy: user.id },
            ]}
          />
        </CardContent>
      </Card>

      <Card>
        <CardHeader
          title="Role assignments"
          description="What the user may do, and where. Changes apply on their next request."
        />
        <Assignments
          roles={user.roles}
          canRemove={(b) =>
            (b.scopeType === "org" ? access.org : access.project(b.projectId!)).has("iam.rolebinding.delete")
          }
          onRemove={setRemoving}
        />
      </Card>

      <AssignRole org={org} user={user} onAssigned={refresh} />

      <ConfirmDialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        tone="danger"
        title={removing ? `Remove ${removing.roleName} from ${user.email}?` : ""}
        description={
          removing
            ? removing.scopeType === "org"
              ? "The role no longer applies anywhere in the organisation, from their next request on."
              : `The role no longer applies in project ${removing.projectSlug}, from their next request on.`
            : undefined
        }
        confirmLabel="Remove assignment"
        onConfirm={async () => {
          await unbind.mutateAsync({ org, bindingId: removing!.id });
          toast.success(`${removing!.roleName} removed from ${user.email}`);
        }}
      />
      <ConfirmDialog
        open={confirm === "suspend"}
        onClose={() => setConfirm(null)}
        tone="danger"
        title={`Suspend ${user.email}?`}
        description="Their sessions end now and their API tokens are refused from their next request on. Their role assignments stay, for when you reactivate them."
        confirmLabel="Suspend"
        onConfirm={async () => {
          const res = await suspend.mutateAsync({ org, userId: user.id });
          toast.success(
            `${user.email} is suspended`,
            res.sessionsRevoked
              ? `${res.sessionsRevoked} session${res.sessionsRevoked === 1 ? "" : "s"} ended`
              : undefined,
          );
        }}
      />
      <ConfirmDialog
        open={confirm === "remove"}
        onClose={() => setConfirm(null)}
        tone="danger"
        title={`Remove ${user.email} from the organisation?`}
        description="All their role assignments here go, and their API tokens limited to this organisation's projects are revoked."
        typedConfirmation={user.email}
        confirmLabel="Remove"
        onConfirm={async () => {
          await remove.mutateAsync({ org, userId: user.id });
          toast.success(`${user.email} was removed`);
          router.push(`/${org}/iam/users`);
        }}
      />
      <ResendInvitationDialog org={org} user={resending ? user : null} onClose={() => setResending(false)} />
    </div>
  );
}

function Assignments({
  roles,
  canRemove,
  onRemove,
}: {
  roles: Binding[];
  canRemove: (b: Binding) => boolean;
  onRemove: (b: Binding) => void;
}) {
  if (roles.length === 0)
    return (
      <EmptyState
        compact
        title="No roles"
        description="The user belongs to the organisation but can see nothing in it. Assign a role below."
      />
    );
  return (
    <table className="w-full text-sm" data-testid="assignments">
      <thead>
        <tr className="border-b border-border text-left text-xs font-medium text-muted-foreground">
          <th className="px-5 py-2 font-medium">Role</th>
          <th className="px-5 py-2 font-medium">Scope</th>
          <th className="px-5 py-2 font-medium">Assigned</th>
          <th className="px-5 py-2">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {roles.map((b) => {
          const allowed = canRemove(b);
          return (
            <tr
              key={b.id}
              className="border-b border-border last:border-b-0"
              data-testid={`assignment-${b.roleKey}`}
            >
              <td className="px-5 py-3">
                <span className="flex flex-wrap items-center gap-2">
                  <span className="font-medium">{b.roleName}</span>
                  <Badge tone={b.roleIsSystem ? "neutral" : "accent"}>
                    {b.roleIsSystem ? "System" : "Custom"}
                  </Badge>
                </span>
                <span className="font-mono text-xs text-muted-foreground">{b.roleKey}</span>
              </td>
              <td className="px-5 py-3">
                <ScopeBadge scopeType={b.scopeType} projectSlug={b.projectSlug} projectName={b.projectName} />
              </td>
              <td className="px-5 py-3 text-muted-foreground">
                <RelativeTime date={b.createdAt} />
              </td>
              <td className="px-5 py-3 text-right">
                <Tooltip
                  content={allowed ? "Remove this assignment" : "You cannot remove assignments at this scope"}
                >
                  <Button
                    variant="ghost"
                    size="sm"
                    icon={<Trash2 />}
                    disabled={!allowed}
                    onClick={() => onRemove(b)}
                    aria-label={`Remove ${b.roleName} (${b.scopeType === "org" ? "organisation" : `project ${b.projectSlug}`})`}
                  >
                    Remove
                  </Button>
                </Tooltip>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function AssignRole({ org, user, onAssigned }: { org: string; user: User; onAssigned: () => Promise<void> }) {
  const trpc = useTRPC();
  const access = useMyAccess(org);
  const roles = useQuery(trpc.iam.listRoles.queryOptions({ org }));
  const [scope, setScope] = useState("org");
  const [roleId, setRoleId] = useState<string | null>(null);
  const assign = useMutation(
    trpc.iam.createRoleBinding.mutationOptions({
      onSuccess: async (b) => {
        toast.success(
          `${b.roleName} assigned to ${user.email}`,
          b.scopeType === "org" ? "For the whole organisation" : `In project ${b.projectSlug}`,
        );
        setRoleId(null);
        await onAssigned();
      },
    }),
  );
  const projectId = scope === "org" ? null : scope;
  const held = projectId ? access.project(projectId) : access.org;
  const canAssignSomewhere =
    access.org.has("iam.rolebinding.create") ||
    access.projects.some((p) => access.project(p.id).has("iam.rolebinding.create"));
  if (access.ready && !canAssignSomewhere) return null;
  const duplicate = roleId
    ? user.roles.find((b) => b.roleId === roleId && (b.projectId ?? null) === projectId)
    : undefined;
  const err = assign.error ? errorInfo(assign.error) : null;
  return (
    <Card>
      <CardHeader
        title="Assign a role"
        description="Choose where it applies, then the role. Only roles whose permissions you hold at that scope can be assigned."
      />
      <CardContent className="flex flex-col gap-4">
        <Field label="Scope" hint="Organisation: everywhere in the organisation, every project included.">
          <Select
            value={scope}
            onChange={(e) => {
              setScope(e.target.value);
              setRoleId(null);
              assign.reset();
            }}
            options={[
              { value: "org", label: "Organisation (all projects)" },
              ...access.projects.map((p) => ({ value: p.id, label: `Project ${p.name} (${p.slug})` })),
            ]}
            className="max-w-md"
            data-testid="assign-scope"
          />
        </Field>
        {roles.data && access.ready ? (
          <RolePicker
            roles={roles.data.items}
            scope={projectId ? "project" : "org"}
            held={held}
            value={roleId}
            onChange={(id) => {
              setRoleId(id);
              assign.reset();
            }}
          />
        ) : roles.error ? (
          <ErrorState error={roles.error} compact onRetry={() => void roles.refetch()} />
        ) : (
          <Skeleton className="h-64 w-full" />
        )}
        {err ? (
          <Alert tone="danger" title="The role was not assigned">
            {err.message}
          </Alert>
        ) : null}
        {duplicate ? <Alert tone="info">{user.name} already has this role at this scope.</Alert> : null}
        <div className="flex justify-end">
          <Button
            icon={<ShieldPlus />}
            disabled={!roleId || Boolean(duplicate)}
            loading={assign.isPending}
            onClick={() =>
              assign.mutate({ org, user: user.id, role: roleId!, project: projectId ?? undefined })
            }
          >
            Assign role
          </Button>
        </div>
      </CardContent>
    </Card>
  );
}
