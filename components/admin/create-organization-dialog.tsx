"use client";
// Create an organisation with its first admin. A new email gets an invited account: the
// invitation link is shown once, to pass on; an existing account becomes org admin at once.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Building2 } from "lucide-react";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { useTRPC, type RouterOutputs } from "@/components/trpc";
import {
  Alert,
  Button,
  buttonClasses,
  CopyField,
  Dialog,
  errorInfo,
  Field,
  Input,
  toast,
} from "@/components/ui";

import { RESERVED_ORG_SLUGS, SLUG, slugify } from "@/server/services/slug";

type Created = RouterOutputs["ops"]["createOrganization"];

const RESERVED = new Set<string>(RESERVED_ORG_SLUGS);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function CreateOrganizationButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button icon={<Building2 />} onClick={() => setOpen(true)} size="sm">
        Create organisation
      </Button>
      <CreateOrganizationDialog open={open} onClose={() => setOpen(false)} />
    </>
  );
}

function CreateOrganizationDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState<string | null>(null);
  const [email, setEmail] = useState("");
  const [adminName, setAdminName] = useState("");
  const [touched, setTouched] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);
  const create = useMutation(
    trpc.ops.createOrganization.mutationOptions({
      onSuccess: async (res) => {
        setCreated(res);
        toast.success(`${res.name} created`);
        await queryClient.invalidateQueries({ queryKey: trpc.ops.listOrganizations.pathKey() });
      },
    }),
  );
  const effectiveSlug = slug ?? slugify(name);
  const errors = {
    name: name.trim() ? null : "Enter a name",
    slug: !SLUG.test(effectiveSlug)
      ? "1-40 lowercase letters, digits and dashes"
      : RESERVED.has(effectiveSlug)
        ? `${effectiveSlug} is reserved for the console's own pages`
        : null,
    email: EMAIL.test(email.trim()) ? null : "Enter the first admin's email",
  };
  const server = create.error ? errorInfo(create.error) : null;
  const close = () => {
    setName("");
    setSlug(null);
    setEmail("");
    setAdminName("");
    setTouched(false);
    setCreated(null);
    create.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (errors.name || errors.slug || errors.email) return;
    create.mutate({
      name: name.trim(),
      slug: effectiveSlug,
      admin: { email: email.trim(), name: adminName.trim() || undefined },
    });
  };

  if (created) {
    const url = created.admin.invitation?.url ?? null;
    const link = url && url.startsWith("/") ? `${window.location.origin}${url}` : url;
    return (
      <Dialog
        open={open}
        onClose={close}
        title={`${created.name} is ready`}
        footer={
          <>
            <Link href={`/${created.slug}/quotas`} className={buttonClasses({ variant: "outline" })}>
              Open its quotas
            </Link>
            <Button onClick={close}>Done</Button>
          </>
        }
      >
        {link ? (
          <div className="flex flex-col gap-3">
            <Alert tone="warning" title="Copy the invitation link now">
              {created.admin.email} is a new account. Send them this link to set a password; it is shown only
              once and expires {new Date(created.admin.invitation!.expiresAt).toLocaleDateString("en")}.
            </Alert>
            <CopyField value={link} label="Invitation link" />
          </div>
        ) : (
          <Alert tone="success">
            {created.admin.email} already had an account and is now an admin of {created.name}. They see it at
            their next page load.
          </Alert>
        )}
      </Dialog>
    );
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      dismissible={!create.isPending}
      title="Create an organisation"
      description="It starts with the default quotas. Its first admin invites the rest of the team."
      footer={
        <>
          <Button variant="ghost" onClick={close} disabled={create.isPending}>
            Cancel
          </Button>
          <Button type="submit" form="create-org" loading={create.isPending}>
            Create
          </Button>
        </>
      }
    >
      <form id="create-org" onSubmit={submit} noValidate className="flex flex-col gap-4 pt-2">
        <Field label="Name" required error={touched ? errors.name : null}>
          <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={64} autoFocus />
        </Field>
        <Field
          label="Slug"
          required
          hint="Its address: /slug/…; cannot change later."
          error={
            ((touched || slug !== null) && name ? errors.slug : null) ??
            (server?.field === "slug" ? server.message : null)
          }
        >
          <Input
            value={effectiveSlug}
            onChange={(e) => setSlug(e.target.value.toLowerCase())}
            maxLength={40}
          />
        </Field>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label="First admin's email"
            required
            error={
              (touched ? errors.email : null) ?? (server?.field === "admin.email" ? server.message : null)
            }
          >
            <Input type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" />
          </Field>
          <Field label="Their name" hint="For a new account">
            <Input value={adminName} onChange={(e) => setAdminName(e.target.value)} maxLength={64} />
          </Field>
        </div>
        {server && server.field !== "slug" && server.field !== "admin.email" ? (
          <Alert tone="danger" title="Not created">
            {server.message}
          </Alert>
        ) : null}
      </form>
    </Dialog>
  );
}
