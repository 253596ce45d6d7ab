"use client";
// Custom role editor: name, key, description, where the role can be assigned, and its permissions
// in the matrix. System roles open read-only (duplicate them to customise). The server refuses any
// permission the editor does not hold; the matrix locks those cells beforehand.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Copy, Save, Trash2 } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { usePermissions } from "@/components/resources";
import { useTRPC } from "@/components/trpc";
import {
  Alert,
  Button,
  buttonClasses,
  Card,
  CardContent,
  CardHeader,
  Checkbox,
  ConfirmDialog,
  errorInfo,
  ErrorState,
  Field,
  Input,
  PageHeader,
  Skeleton,
  Textarea,
  toast,
} from "@/components/ui";
import { slugify } from "@/components/projects/slug";
import { orgOnlyConflicts, type CatalogueEntry } from "./matrix";
import { PermissionMatrix } from "./permission-matrix";
import type { RoleRow } from "./role-picker";
import { useMyAccess } from "./use-my-access";

export function RoleEditorView({
  org,
  roleId,
  from,
}: {
  org: string;
  roleId: string | null;
  from?: string | null;
}) {
  const trpc = useTRPC();
  const catalogue = useQuery({ ...trpc.iam.listPermissions.queryOptions(), staleTime: 5 * 60_000 });
  const source = roleId ?? from ?? null;
  const role = useQuery({
    ...trpc.iam.getRole.queryOptions({ org, roleId: source ?? "" }),
    enabled: Boolean(source),
  });
  const access = useMyAccess(org);
  const crumbs = [
    { label: "Roles", href: `/${org}/iam/roles` },
    { label: roleId ? (role.data?.name ?? "…") : "New role" },
  ];
  const error = catalogue.error ?? (source ? role.error : null);
  if (error)
    return (
      <div className="flex flex-col gap-6">
        <PageHeader title={roleId ? "Role" : "Create role"} breadcrumbs={crumbs} />
        <ErrorState
          error={error}
          onRetry={() => void (catalogue.error ? catalogue.refetch() : role.refetch())}
        />
      </div>
    );
  if (!catalogue.data || (source && !role.data) || !access.ready)
    return (
      <div className="flex flex-col gap-6" aria-busy="true">
        <Skeleton className="h-14 w-80" />
        <Skeleton className="h-56 w-full" />
        <Skeleton className="h-96 w-full" />
      </div>
    );
  return (
    <RoleEditor
      // A new source (duplicate of another role) starts a fresh form.
      key={source ?? "new"}
      org={org}
      catalogue={catalogue.data.items}
      role={roleId ? role.data! : null}
      template={!roleId && from ? role.data! : null}
      held={access.org}
    />
  );
}

function RoleEditor({
  org,
  catalogue,
  role,
  template,
  held,
}: {
  org: string;
  catalogue: CatalogueEntry[];
  role: RoleRow | null;
  template: RoleRow | null;
  held: ReadonlySet<string>;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const perms = usePermissions({ org });
  const base = role ?? template;
  const [name, setName] = useState(template ? `${template.name} (copy)` : (role?.name ?? ""));
  const [key, setKey] = useState<string | null>(null);
  const [description, setDescription] = useState(base?.description ?? "");
  const [scopes, setScopes] = useState<string[]>(base?.scopes.filter((s) => s !== "platform") ?? ["project"]);
  const initial = useMemo(() => new Set(role?.permissions ?? []), [role]);
  // A duplicate keeps only what the editor may grant.
  const [selected, setSelected] = useState<Set<string>>(
    () => new Set(template ? template.permissions.filter((p) => held.has(p)) : (role?.permissions ?? [])),
  );
  const [touched, setTouched] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const isNew = role === null;
  const readOnly =
    role?.isSystem === true || (isNew ? !perms.can("iam.role.create") : !perms.can("iam.role.update"));
  const effectiveKey = key ?? slugify(name);
  const conflicts = orgOnlyConflicts(selected, catalogue, scopes);
  const dropped = template ? template.permissions.filter((p) => !held.has(p)) : [];
  const errors = {
    name: !name.trim() ? "Enter a name" : null,
    key:
      isNew && !/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/.test(effectiveKey)
        ? "Use 1-40 lowercase letters, digits and dashes"
        : null,
    scopes: scopes.length === 0 ? "Choose at least one scope" : null,
    permissions:
      selected.size === 0
        ? "Choose at least one permission"
        : conflicts.length > 0
          ? `${conflicts.join(", ")} only apply at organisation scope: allow that scope or untick them`
          : null,
  };
  const invalid = Object.values(errors).some(Boolean);
  const done = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.iam.pathKey() });
  };
  const create = useMutation(
    trpc.iam.createRole.mutationOptions({
      onSuccess: async (r) => {
        toast.success(`Role ${r.name} created`, `${r.permissions.length} permissions`);
        await done();
        router.push(`/${org}/iam/roles/${r.id}`);
      },
    }),
  );
  const update = useMutation(
    trpc.iam.updateRole.mutationOptions({
      onSuccess: async (r) => {
        toast.success(
          `Role ${r.name} saved`,
          r.bindingCount > 0
            ? `Applies to its ${r.bindingCount} assignment${r.bindingCount === 1 ? "" : "s"} from their next request`
            : undefined,
        );
        await done();
      },
    }),
  );
  const remove = useMutation(trpc.iam.deleteRole.mutationOptions());
  const busy = create.isPending || update.isPending;
  const server = create.error ?? update.error;
  const serverInfo = server ? errorInfo(server) : null;

  const save = () => {
    setTouched(true);
    if (invalid || readOnly) return;
    const body = {
      org,
      name: name.trim(),
      description: description.trim(),
      scopes: scopes as ("org" | "project")[],
      permissions: [...selected].sort(),
    };
    if (isNew) create.mutate({ ...body, key: effectiveKey });
    else update.mutate({ ...body, roleId: role.id });
  };
  const toggleScope = (s: string, on: boolean) =>
    setScopes((cur) => (on ? [...new Set([...cur, s])].sort() : cur.filter((x) => x !== s)));

  return (
    <div className="flex flex-col gap-6 pb-24">
      <PageHeader
        title={isNew ? "Create custom role" : role.name}
        description={
          isNew
            ? "Pick the permissions the role grants. You can only include permissions you hold in this organisation."
            : role.isSystem
              ? "A system role, defined by Cirrus."
              : "A custom role of this organisation."
        }
        breadcrumbs={[
          { label: "Roles", href: `/${org}/iam/roles` },
          { label: isNew ? "New role" : role.name },
        ]}
        actions={
          !isNew ? (
            <>
              {perms.can("iam.role.create") ? (
                <Link
                  href={`/${org}/iam/roles/new?from=${role.id}`}
                  className={buttonClasses({ variant: "outline" })}
                >
                  <Copy className="size-4" aria-hidden="true" />
                  Duplicate
                </Link>
              ) : null}
              {!role.isSystem && perms.can("iam.role.delete") ? (
                <Button variant="danger" icon={<Trash2 />} onClick={() => setDeleting(true)}>
                  Delete
                </Button>
              ) : null}
            </>
          ) : null
        }
      />
      {role?.isSystem ? (
        <Alert tone="info" title="System roles cannot be changed">
          Duplicate it to create a custom role that starts from these permissions.
        </Alert>
      ) : readOnly ? (
        <Alert tone="info" title="Read only">
          You do not have the permission to {isNew ? "create" : "change"} roles in this organisation.
        </Alert>
      ) : null}
      {role && !role.isSystem && role.bindingCount > 0 ? (
        <Alert
          tone="warning"
          title={`Assigned ${role.bindingCount} time${role.bindingCount === 1 ? "" : "s"}`}
        >
          Changes apply to everyone who holds this role, from their next request on.
        </Alert>
      ) : null}
      {dropped.length > 0 ? (
        <Alert
          tone="warning"
          title={`${dropped.length} permission${dropped.length === 1 ? " was" : "s were"} left out`}
        >
          You do not hold {dropped.slice(0, 5).join(", ")}
          {dropped.length > 5 ? ` and ${dropped.length - 5} more` : ""}, so the copy cannot include{" "}
          {dropped.length === 1 ? "it" : "them"}.
        </Alert>
      ) : null}

      <Card>
        <CardHeader title="Role" />
        <CardContent className="grid gap-4 md:grid-cols-2">
          <Field label="Name" required error={touched ? errors.name : null}>
            <Input
              value={name}
              onChange={(e) => setName(e.target.value)}
              maxLength={64}
              disabled={readOnly}
              placeholder="VM operator"
            />
          </Field>
          <Field
            label="Key"
            required={isNew}
            hint={isNew ? "Stable identifier for the API and CLI; it cannot change later." : undefined}
            error={touched ? errors.key : null}
          >
            <Input
              value={isNew ? effectiveKey : role.key}
              onChange={(e) => setKey(e.target.value.toLowerCase())}
              disabled={!isNew || readOnly}
              className="font-mono"
              maxLength={40}
            />
          </Field>
          <Field label="Description" className="md:col-span-2">
            <Textarea
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              rows={2}
              maxLength={500}
              disabled={readOnly}
              placeholder="What holders of this role do"
            />
          </Field>
          <fieldset className="flex flex-col gap-2 md:col-span-2">
            <legend className="mb-1 text-sm font-medium">Can be assigned at</legend>
            <label className="flex items-start gap-2 text-sm">
              <Checkbox
                checked={scopes.includes("org")}
                onChange={(e) => toggleScope("org", e.target.checked)}
                disabled={readOnly}
                className="mt-0.5"
              />
              <span>
                <span className="font-medium">Organisation</span>
                <span className="block text-muted-foreground">
                  Applies everywhere in the organisation, every project included.
                </span>
              </span>
            </label>
            <label className="flex items-start gap-2 text-sm">
              <Checkbox
                checked={scopes.includes("project")}
                onChange={(e) => toggleScope("project", e.target.checked)}
                disabled={readOnly}
                className="mt-0.5"
              />
              <span>
                <span className="font-medium">Project</span>
                <span className="block text-muted-foreground">
                  Applies in one project, chosen when the role is assigned.
                </span>
              </span>
            </label>
            {touched && errors.scopes ? <p className="text-sm text-danger">{errors.scopes}</p> : null}
          </fieldset>
        </CardContent>
      </Card>

      <Card>
        <CardHeader
          title="Permissions"
          description="Rows are resources, columns are actions. Tick a row's or a service's box to select all of it. Greyed boxes are permissions you cannot grant: hover them for the reason."
        />
        <CardContent>
          <PermissionMatrix
            catalogue={catalogue}
            selected={selected}
            onChange={setSelected}
            context={{ held, scopes, readOnly, initial }}
          />
        </CardContent>
      </Card>

      {!readOnly ? (
        <div className="sticky bottom-0 z-20 -mx-6 flex flex-wrap items-center justify-end gap-3 border-t border-border bg-background/95 px-6 py-3 backdrop-blur">
          {touched && errors.permissions ? (
            <p className="mr-auto text-sm text-danger">{errors.permissions}</p>
          ) : null}
          {serverInfo ? (
            <p className="mr-auto text-sm text-danger" role="alert">
              {serverInfo.message}
            </p>
          ) : null}
          <span className="text-sm text-muted-foreground">{selected.size} permissions</span>
          <Link href={`/${org}/iam/roles`} className={buttonClasses({ variant: "ghost" })}>
            Cancel
          </Link>
          <Button icon={<Save />} loading={busy} onClick={save}>
            {isNew ? "Create role" : "Save changes"}
          </Button>
        </div>
      ) : null}

      {role && !role.isSystem ? (
        <ConfirmDialog
          open={deleting}
          onClose={() => setDeleting(false)}
          tone="danger"
          title={`Delete the role ${role.name}?`}
          description={
            role.bindingCount > 0
              ? `It is assigned ${role.bindingCount} time${role.bindingCount === 1 ? "" : "s"}: the server refuses until those assignments are removed.`
              : "It is not assigned to anyone. This cannot be undone."
          }
          typedConfirmation={role.key}
          confirmLabel="Delete role"
          onConfirm={async () => {
            await remove.mutateAsync({ org, roleId: role.id });
            toast.success(`Role ${role.name} deleted`);
            await done();
            router.push(`/${org}/iam/roles`);
          }}
        />
      ) : null}
    </div>
  );
}
