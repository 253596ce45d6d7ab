"use client";
// Invite a user with an initial role, at organisation scope or in one project. The answer's
// invite link is shown once, to pass on; an existing account is simply added.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc";
import {
  Alert,
  Button,
  CopyField,
  Dialog,
  errorInfo,
  Field,
  formatDateTime,
  Input,
  Select,
  Skeleton,
} from "@/components/ui";
import { RolePicker } from "./role-picker";
import { useMyAccess } from "./use-my-access";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function absoluteUrl(url: string): string {
  return url.startsWith("/") && typeof window !== "undefined" ? `${window.location.origin}${url}` : url;
}

export function InviteUserDialog({
  org,
  open,
  onClose,
}: {
  org: string;
  open: boolean;
  onClose: () => void;
}) {
  return open ? <InviteOpen org={org} onClose={onClose} /> : null;
}

function InviteOpen({ org, onClose }: { org: string; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const access = useMyAccess(org);
  const roles = useQuery(trpc.iam.listRoles.queryOptions({ org }));
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [scope, setScope] = useState("org");
  const [roleId, setRoleId] = useState<string | null>(null);
  const [days, setDays] = useState("7");
  const [touched, setTouched] = useState(false);
  const invite = useMutation(
    trpc.iam.inviteUser.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.iam.pathKey() }),
    }),
  );
  const projectId = scope === "org" ? null : scope;
  const held = projectId ? access.project(projectId) : access.org;
  const errors = {
    email: !email.trim()
      ? "Enter an email address"
      : !EMAIL.test(email.trim())
        ? "Enter a valid email address"
        : null,
    name: !name.trim() ? "Enter a name" : null,
    role: !roleId ? "Choose a role" : null,
  };
  const server = invite.error ? errorInfo(invite.error) : null;

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (errors.email || errors.name || errors.role) return;
    invite.mutate({
      org,
      email: email.trim(),
      name: name.trim(),
      role: roleId!,
      project: projectId ?? undefined,
      expiresInDays: Number(days),
    });
  };

  if (invite.data) {
    const { user, invitation, created } = invite.data;
    return (
      <Dialog
        open
        onClose={onClose}
        title={invitation ? `Invitation for ${user.email}` : `${user.email} was added`}
        footer={<Button onClick={onClose}>Done</Button>}
      >
        <div className="flex flex-col gap-4" data-testid="invite-result">
          {invitation ? (
            <>
              <Alert tone="warning" title="Copy this link now: it is shown only once">
                Send it to {user.name} yourself. It lets them set a password and expires on{" "}
                {formatDateTime(invitation.expiresAt)}. If it is lost, issue a new one from the user&apos;s
                page.
              </Alert>
              <CopyField value={absoluteUrl(invitation.url)} label="Invitation link" />
            </>
          ) : (
            <Alert tone="success" title={created ? "Account created" : "Existing account added"}>
              {user.email} already has a Cirrus account and can sign in now with it.
            </Alert>
          )}
          <p className="text-sm text-muted-foreground">
            Initial role:{" "}
            {user.roles
              .map(
                (r) =>
                  `${r.roleName} (${r.scopeType === "org" ? "organisation" : `project ${r.projectSlug}`})`,
              )
              .join(", ")}
          </p>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog
      open
      onClose={onClose}
      size="lg"
      dismissible={!invite.isPending}
      title="Invite a user"
      description="They get an initial role now; more can be assigned later from Manage Role."
      footer={
        <>
          <Button variant="ghost" onClick={onClose} disabled={invite.isPending}>
            Cancel
          </Button>
          <Button type="submit" form="invite-user" loading={invite.isPending}>
            Invite
          </Button>
        </>
      }
    >
      <form id="invite-user" className="flex flex-col gap-4" onSubmit={submit} noValidate>
        {server ? (
          <Alert tone="danger" title="The invitation was not sent">
            {server.message}
          </Alert>
        ) : null}
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Email" required error={touched ? errors.email : null}>
            <Input
              type="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              autoFocus
              placeholder="someone@company.example"
            />
          </Field>
          <Field label="Name" required error={touched ? errors.name : null}>
            <Input
              value={name}
              onChange={(e) => setName(e.target.value)}
              maxLength={64}
              placeholder="Sam Smith"
            />
          </Field>
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Scope of the initial role" hint="The whole organisation, or one project only.">
            <Select
              value={scope}
              onChange={(e) => {
                setScope(e.target.value);
                setRoleId(null);
              }}
              options={[
                { value: "org", label: "Organisation (all projects)" },
                ...access.projects.map((p) => ({ value: p.id, label: `Project ${p.name} (${p.slug})` })),
              ]}
            />
          </Field>
          <Field label="Invitation link expires after">
            <Select
              value={days}
              onChange={(e) => setDays(e.target.value)}
              options={[
                { value: "1", label: "1 day" },
                { value: "3", label: "3 days" },
                { value: "7", label: "7 days" },
                { value: "14", label: "14 days" },
                { value: "30", label: "30 days" },
              ]}
            />
          </Field>
        </div>
        <Field label="Initial role" required error={touched ? errors.role : null}>
          {roles.data && access.ready ? (
            <RolePicker
              roles={roles.data.items}
              scope={projectId ? "project" : "org"}
              held={held}
              value={roleId}
              onChange={setRoleId}
              name="invite-role"
            />
          ) : roles.error ? (
            <Alert tone="danger">{errorInfo(roles.error).message}</Alert>
          ) : (
            <Skeleton className="h-64 w-full" />
          )}
        </Field>
      </form>
    </Dialog>
  );
}
