"use client";
// The organisation's users: search, status filter, each user's role assignments with their scope,
// last sign-in; invite, suspend / reactivate, remove, and Manage Role for each.
import { useQuery } from "@tanstack/react-query";
import { MailPlus, RotateCcw, ShieldCheck, UserMinus, UserPlus, Users, UserX } from "lucide-react";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { defineKind, ResourceTable, usePermissions } from "@/components/resources";
import { useTRPC, useTRPCClient, type RouterOutputs } from "@/components/trpc";
import { Button, PageHeader, RelativeTime, StatusPill } from "@/components/ui";
import { InviteUserDialog } from "./invite-user-dialog";
import { ResendInvitationDialog } from "./resend-invitation-dialog";
import { ScopeBadge } from "./scope-badge";

export type UserRow = RouterOutputs["iam"]["listUsers"]["items"][number];

export function RoleList({ roles, max = 3 }: { roles: UserRow["roles"]; max?: number }) {
  if (roles.length === 0) return <span className="text-sm text-muted-foreground">No roles</span>;
  return (
    <ul className="flex flex-col gap-1">
      {roles.slice(0, max).map((r) => (
        <li key={r.id} className="flex flex-wrap items-center gap-1.5 text-sm">
          <span>{r.roleName}</span>
          <ScopeBadge scopeType={r.scopeType} projectSlug={r.projectSlug} projectName={r.projectName} />
        </li>
      ))}
      {roles.length > max ? (
        <li className="text-xs text-muted-foreground">and {roles.length - max} more</li>
      ) : null}
    </ul>
  );
}

function userKind(meId: string | null) {
  return defineKind<UserRow>({
    id: "iam.user",
    label: "User",
    plural: "Users",
    icon: <Users />,
    getId: (u) => u.id,
    getName: (u) => u.email,
    href: (u, scope) => `/${scope.org}/iam/users/${u.id}`,
    getStatus: (u) => u.status,
    searchPlaceholder: "Search by name or email",
    empty: { title: "No users yet", description: "Invite the first member of the organisation." },
    columns: [
      {
        id: "name",
        header: "User",
        hideable: false,
        value: (u) => `${u.name} <${u.email}>`,
        cell: (u) => (
          <span className="flex flex-col">
            <span className="font-medium">{u.name}</span>
            <span className="text-xs text-muted-foreground">{u.email}</span>
          </span>
        ),
      },
      {
        id: "status",
        header: "Status",
        value: (u) => u.status,
        cell: (u) => <StatusPill status={u.status} />,
      },
      {
        id: "roles",
        header: "Roles",
        value: (u) =>
          u.roles.map((r) => `${r.roleKey}@${r.scopeType === "org" ? "org" : r.projectSlug}`).join(" "),
        cell: (u) => <RoleList roles={u.roles} />,
      },
      {
        id: "lastLoginAt",
        header: "Last sign-in",
        value: (u) => u.lastLoginAt?.toISOString() ?? "",
        cell: (u) =>
          u.lastLoginAt ? (
            <RelativeTime date={u.lastLoginAt} />
          ) : (
            <span className="text-muted-foreground">
              {u.status === "invited" ? "Not yet accepted" : "Never"}
            </span>
          ),
      },
      {
        id: "joinedAt",
        header: "Joined",
        value: (u) => u.joinedAt.toISOString(),
        cell: (u) => <RelativeTime date={u.joinedAt} />,
      },
      { id: "signIn", header: "Sign-in", defaultVisible: false },
      { id: "email", header: "Email", defaultVisible: false },
    ],
    filters: [
      {
        id: "status",
        label: "Status",
        multiple: false,
        options: [
          { value: "active", label: "Active" },
          { value: "invited", label: "Invited" },
          { value: "suspended", label: "Suspended" },
        ],
      },
    ],
    actions: [
      {
        id: "suspend",
        label: "Suspend",
        icon: <UserX />,
        tone: "danger",
        permission: "iam.user.suspend",
        placement: "row",
        disabled: (u) =>
          u.id === meId
            ? "You cannot suspend yourself"
            : u.status === "suspended"
              ? "Already suspended"
              : null,
        confirm: {
          title: (rows) => `Suspend ${rows[0]!.email}?`,
          description: () =>
            "Their sessions end now and their API tokens stop working on their next request. You can reactivate them later.",
          confirmLabel: "Suspend",
        },
        run: (u, { client, scope }) => client.iam.suspendUser.mutate({ org: scope.org!, userId: u.id }),
      },
      {
        id: "reactivate",
        label: "Reactivate",
        icon: <RotateCcw />,
        permission: "iam.user.suspend",
        placement: "row",
        disabled: (u) => (u.status !== "suspended" ? "Not suspended" : null),
        run: (u, { client, scope }) => client.iam.reactivateUser.mutate({ org: scope.org!, userId: u.id }),
      },
      {
        id: "remove",
        label: "Remove from organisation",
        icon: <UserMinus />,
        tone: "danger",
        permission: "iam.user.remove",
        placement: "row",
        disabled: (u) => (u.id === meId ? "You cannot remove yourself" : null),
        confirm: {
          title: (rows) => `Remove ${rows[0]!.email} from the organisation?`,
          description: () =>
            "All their role assignments here go, and their API tokens limited to this organisation's projects are revoked.",
          confirmLabel: "Remove",
          typed: true,
        },
        run: (u, { client, scope }) => client.iam.removeUser.mutate({ org: scope.org!, userId: u.id }),
      },
    ],
  });
}

export function UsersView({ org }: { org: string }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const router = useRouter();
  const perms = usePermissions({ org });
  const me = useQuery({ ...trpc.common.getMe.queryOptions(), staleTime: 60_000 });
  const kind = useMemo(() => userKind(me.data?.id ?? null), [me.data?.id]);
  const [inviting, setInviting] = useState(false);
  const [resending, setResending] = useState<UserRow | null>(null);
  const inviteButton = perms.can("iam.user.invite") ? (
    <Button icon={<UserPlus />} onClick={() => setInviting(true)}>
      Invite user
    </Button>
  ) : null;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Users"
        description="Members of the organisation and the roles they hold, for the whole organisation or in one project."
        actions={inviteButton}
      />
      <ResourceTable
        kind={kind}
        scope={{ org }}
        queryKey={trpc.iam.listUsers.pathKey()}
        fetchPage={({ q, filters, cursor, limit }) =>
          client.iam.listUsers.query({
            org,
            q,
            status: filters.status?.[0] as UserRow["status"] | undefined,
            cursor,
            limit,
          })
        }
        rowActions={(u) => [
          {
            label: "Manage roles",
            icon: <ShieldCheck />,
            onSelect: () => router.push(`/${org}/iam/users/${u.id}`),
          },
          ...(u.status === "invited"
            ? [
                {
                  label: "New invitation link",
                  icon: <MailPlus />,
                  disabled: !perms.can("iam.user.invite"),
                  disabledReason: "Requires the permission iam.user.invite",
                  onSelect: () => setResending(u),
                },
              ]
            : []),
        ]}
        emptyAction={inviteButton}
      />
      <InviteUserDialog org={org} open={inviting} onClose={() => setInviting(false)} />
      <ResendInvitationDialog org={org} user={resending} onClose={() => setResending(null)} />
    </div>
  );
}
