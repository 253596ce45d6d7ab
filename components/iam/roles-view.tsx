"use client";
// The organisation's roles: system roles (defined by Cirrus, read-only) and custom ones, with
// where each can be assigned, its size and how often it is assigned; create, edit, duplicate, delete.
import { Copy, Pencil, Plus, ShieldCheck, Trash2 } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { defineKind, ResourceTable, usePermissions } from "@/components/resources";
import { useTRPC, useTRPCClient } from "@/components/trpc";
import { Badge, buttonClasses, PageHeader, RelativeTime } from "@/components/ui";
import type { RoleRow } from "./role-picker";

const roleKind = defineKind<RoleRow>({
  id: "iam.role",
  label: "Role",
  plural: "Roles",
  icon: <ShieldCheck />,
  getId: (r) => r.id,
  getName: (r) => r.key,
  href: (r, scope) => `/${scope.org}/iam/roles/${r.id}`,
  searchPlaceholder: "Search by name, key or description",
  empty: { title: "No roles", description: "Create a custom role from the permissions of the catalogue." },
  columns: [
    {
      id: "name",
      header: "Role",
      hideable: false,
      sortable: true,
      value: (r) => r.name,
      cell: (r) => (
        <span className="flex flex-col">
          <span className="font-medium">{r.name}</span>
          <span className="font-mono text-xs text-muted-foreground">{r.key}</span>
        </span>
      ),
    },
    {
      id: "type",
      header: "Type",
      value: (r) => (r.isSystem ? "system" : "custom"),
      cell: (r) => <Badge tone={r.isSystem ? "neutral" : "accent"}>{r.isSystem ? "System" : "Custom"}</Badge>,
    },
    {
      id: "scopes",
      header: "Assignable at",
      value: (r) => r.scopes.join(" "),
      cell: (r) => (
        <span className="flex gap-1">
          {r.scopes.map((s) => (
            <Badge key={s} tone={s === "org" ? "accent" : "info"}>
              {s === "org" ? "Organisation" : "Project"}
            </Badge>
          ))}
        </span>
      ),
    },
    {
      id: "description",
      header: "Description",
      cell: (r) => (
        <span className="line-clamp-2 max-w-md text-muted-foreground">{r.description || "—"}</span>
      ),
    },
    {
      id: "permissions",
      header: "Permissions",
      align: "right",
      sortable: true,
      value: (r) => r.permissions.length,
    },
    { id: "bindingCount", header: "Assignments", align: "right", sortable: true },
    {
      id: "updatedAt",
      header: "Updated",
      defaultVisible: false,
      value: (r) => r.updatedAt.toISOString(),
      cell: (r) => <RelativeTime date={r.updatedAt} />,
    },
  ],
  filters: [
    {
      id: "type",
      label: "Type",
      options: [
        { value: "system", label: "System" },
        { value: "custom", label: "Custom" },
      ],
      match: (r, v) => v.includes(r.isSystem ? "system" : "custom"),
    },
    {
      id: "scope",
      label: "Assignable at",
      options: [
        { value: "org", label: "Organisation" },
        { value: "project", label: "Project" },
      ],
      match: (r, v) => v.some((s) => r.scopes.includes(s)),
    },
  ],
  actions: [
    {
      id: "delete",
      label: "Delete",
      icon: <Trash2 />,
      tone: "danger",
      permission: "iam.role.delete",
      placement: "row",
      disabled: (r) =>
        r.isSystem
          ? "System roles cannot be deleted"
          : r.bindingCount > 0
            ? `Assigned ${r.bindingCount} time${r.bindingCount === 1 ? "" : "s"}: remove the assignments first`
            : null,
      confirm: {
        title: (rows) => `Delete the role ${rows[0]!.name}?`,
        description: () => "It is not assigned to anyone. This cannot be undone.",
        confirmLabel: "Delete role",
        typed: true,
      },
      run: (r, { client, scope }) => client.iam.deleteRole.mutate({ org: scope.org!, roleId: r.id }),
    },
  ],
});

export function RolesView({ org }: { org: string }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const router = useRouter();
  const perms = usePermissions({ org });
  const create = perms.can("iam.role.create") ? (
    <Link href={`/${org}/iam/roles/new`} className={buttonClasses({ variant: "primary" })}>
      <Plus className="size-4" aria-hidden="true" />
      Create role
    </Link>
  ) : null;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Roles"
        description="A role is a set of permissions, assigned to a user for the whole organisation or in one project. System roles are defined by Cirrus; custom roles are yours."
        actions={create}
      />
      <ResourceTable
        kind={roleKind}
        scope={{ org }}
        queryKey={trpc.iam.listRoles.pathKey()}
        clientSide
        fetchPage={() => client.iam.listRoles.query({ org })}
        rowActions={(r) => [
          r.isSystem
            ? {
                label: "View permissions",
                icon: <ShieldCheck />,
                onSelect: () => router.push(`/${org}/iam/roles/${r.id}`),
              }
            : {
                label: "Edit",
                icon: <Pencil />,
                disabled: !perms.can("iam.role.update"),
                disabledReason: "Requires the permission iam.role.update",
                onSelect: () => router.push(`/${org}/iam/roles/${r.id}`),
              },
          {
            label: "Duplicate as custom role",
            icon: <Copy />,
            disabled: !perms.can("iam.role.create"),
            disabledReason: "Requires the permission iam.role.create",
            onSelect: () => router.push(`/${org}/iam/roles/new?from=${r.id}`),
          },
        ]}
        emptyAction={create}
      />
    </div>
  );
}
