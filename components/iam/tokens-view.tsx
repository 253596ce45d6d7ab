"use client";
// The caller's API tokens: list (never the secrets), create with a lifetime and an optional
// project scope (the secret is shown once, to copy), revoke. Tokens act as their owner, with the
// owner's permissions of the moment, limited to one project when scoped.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { KeyRound, Plus, Trash2 } from "lucide-react";
import { useMemo, useState } from "react";
import { defineKind, ResourceTable } from "@/components/resources";
import { useTRPC, useTRPCClient, type RouterOutputs } from "@/components/trpc";
import {
  Alert,
  Badge,
  Button,
  ConfirmDialog,
  CopyField,
  Dialog,
  errorInfo,
  Field,
  formatDateTime,
  Input,
  PageHeader,
  RelativeTime,
  Select,
  toast,
} from "@/components/ui";

type TokenRow = RouterOutputs["iam"]["listApiTokens"]["items"][number];
type Created = RouterOutputs["iam"]["createApiToken"];

function tokenKind(onRevoke: (t: TokenRow) => void) {
  return defineKind<TokenRow>({
    id: "iam.token",
    label: "API token",
    plural: "API tokens",
    icon: <KeyRound />,
    getId: (t) => t.id,
    getName: (t) => t.name,
    searchPlaceholder: "Search by name",
    empty: {
      title: "No API tokens",
      description: "Tokens let the CLI, scripts and CI call the Cirrus API as you.",
    },
    columns: [
      { id: "name", header: "Name", hideable: false, sortable: true },
      {
        id: "prefix",
        header: "Token",
        cell: (t) => <span className="font-mono text-xs text-muted-foreground">{t.prefix}…</span>,
      },
      {
        id: "scope",
        header: "Scope",
        value: (t) => (t.project ? `${t.project.orgSlug}/${t.project.slug}` : "all"),
        cell: (t) =>
          t.project ? (
            <Badge tone="info" title={`${t.project.orgName} / ${t.project.name}`}>
              Project {t.project.orgSlug}/{t.project.slug}
            </Badge>
          ) : (
            <Badge tone="neutral">All my access</Badge>
          ),
      },
      {
        id: "expiresAt",
        header: "Expires",
        sortable: true,
        value: (t) => t.expiresAt.toISOString(),
        cell: (t) =>
          t.expired ? (
            <Badge tone="danger" title={formatDateTime(t.expiresAt)}>
              Expired
            </Badge>
          ) : (
            <RelativeTime date={t.expiresAt} />
          ),
      },
      {
        id: "lastUsedAt",
        header: "Last used",
        value: (t) => t.lastUsedAt?.toISOString() ?? "",
        cell: (t) =>
          t.lastUsedAt ? (
            <RelativeTime date={t.lastUsedAt} />
          ) : (
            <span className="text-muted-foreground">Never</span>
          ),
      },
      {
        id: "createdAt",
        header: "Created",
        sortable: true,
        value: (t) => t.createdAt.toISOString(),
        cell: (t) => <RelativeTime date={t.createdAt} />,
      },
      {
        id: "actions",
        header: "",
        hideable: false,
        exportable: false,
        align: "right",
        value: () => null,
        cell: (t) => (
          <Button
            variant="ghost"
            size="sm"
            icon={<Trash2 />}
            onClick={() => onRevoke(t)}
            aria-label={`Revoke ${t.name}`}
          >
            Revoke
          </Button>
        ),
      },
    ],
    defaultSort: { id: "createdAt", desc: true },
  });
}

export function TokensView() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<TokenRow | null>(null);
  const revoke = useMutation(trpc.iam.revokeApiToken.mutationOptions());
  const kind = useMemo(() => tokenKind(setRevoking), []);
  const createButton = (
    <Button icon={<Plus />} onClick={() => setCreating(true)}>
      Create token
    </Button>
  );
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="API tokens"
        description="Personal tokens for the CLI, scripts and CI. A token acts as you, with your permissions at the time of each call; limit it to one project when it needs no more."
        actions={createButton}
      />
      <ResourceTable
        kind={kind}
        scope={{}}
        queryKey={trpc.iam.listApiTokens.pathKey()}
        clientSide
        savedViews={false}
        fetchPage={() => client.iam.listApiTokens.query()}
        emptyAction={createButton}
      />
      <CreateTokenDialog open={creating} onClose={() => setCreating(false)} />
      <ConfirmDialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        tone="danger"
        title={revoking ? `Revoke the token ${revoking.name}?` : ""}
        description="Anything that uses it is refused from its next call on. This cannot be undone."
        confirmLabel="Revoke"
        onConfirm={async () => {
          await revoke.mutateAsync({ id: revoking!.id });
          toast.success(`Token ${revoking!.name} revoked`);
          await queryClient.invalidateQueries({ queryKey: trpc.iam.listApiTokens.pathKey() });
        }}
      />
    </div>
  );
}

const LIFETIMES = [
  { value: "7", label: "7 days" },
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "180", label: "180 days" },
  { value: "365", label: "1 year" },
];

function CreateTokenDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return open ? <CreateTokenOpen onClose={onClose} /> : null;
}

function CreateTokenOpen({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useQuery({ ...trpc.common.getMe.queryOptions(), staleTime: 60_000 });
  const [name, setName] = useState("");
  const [days, setDays] = useState("30");
  const [project, setProject] = useState("");
  const [touched, setTouched] = useState(false);
  const create = useMutation(
    trpc.iam.createApiToken.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.iam.listApiTokens.pathKey() }),
    }),
  );
  const nameError =
    touched && !name.trim() ? "Enter a name, e.g. the machine or pipeline that uses it" : null;
  const err = create.error ? errorInfo(create.error) : null;
  const projectOptions =
    me.data?.memberships.flatMap((m) =>
      m.projects.map((p) => ({ value: p.id, label: `${m.org.name} / ${p.name} (${m.org.slug}/${p.slug})` })),
    ) ?? [];

  if (create.data) return <TokenCreated created={create.data} onClose={onClose} />;

  return (
    <Dialog
      open
      onClose={onClose}
      dismissible={!create.isPending}
      title="Create API token"
      footer={
        <>
          <Button variant="ghost" onClick={onClose} disabled={create.isPending}>
            Cancel
          </Button>
          <Button type="submit" form="create-token" loading={create.isPending}>
            Create token
          </Button>
        </>
      }
    >
      <form
        id="create-token"
        className="flex flex-col gap-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (!name.trim()) return;
          create.mutate({ name: name.trim(), expiresInDays: Number(days), projectId: project || undefined });
        }}
      >
        {err ? (
          <Alert tone="danger" title="The token was not created">
            {err.message}
          </Alert>
        ) : null}
        <Field label="Name" required error={nameError}>
          <Input
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoFocus
            maxLength={64}
            placeholder="laptop CLI"
          />
        </Field>
        <Field label="Expires after">
          <Select value={days} onChange={(e) => setDays(e.target.value)} options={LIFETIMES} />
        </Field>
        <Field
          label="Scope"
          hint="A project token can only act in that project, even where you hold more. Without one, the token has all of your access."
        >
          <Select
            value={project}
            onChange={(e) => setProject(e.target.value)}
            options={[{ value: "", label: "All my access" }, ...projectOptions]}
          />
        </Field>
      </form>
    </Dialog>
  );
}

function TokenCreated({ created, onClose }: { created: Created; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  const origin = typeof window !== "undefined" ? window.location.origin : "";
  return (
    <Dialog
      open
      onClose={onClose}
      dismissible={false}
      title={`Token ${created.name} created`}
      footer={<Button onClick={onClose}>{copied ? "Done" : "I have stored it"}</Button>}
    >
      <div className="flex flex-col gap-4" data-testid="token-created">
        <Alert tone="warning" title="Copy the token now: it will not be shown again">
          Cirrus keeps only a hash of it. If you lose it, revoke it and create another.
        </Alert>
        <CopyField value={created.token} label="API token" onCopied={() => setCopied(true)} />
        <p className="text-sm text-muted-foreground">
          {created.project
            ? `Limited to project ${created.project.orgSlug}/${created.project.slug}. `
            : "Acts with all of your access. "}
          Expires on {formatDateTime(created.expiresAt)}.
        </p>
        <div className="rounded-md bg-surface-muted p-3 font-mono text-xs break-all text-muted-foreground">
          curl -H &quot;Authorization: Bearer $CIRRUS_TOKEN&quot; {origin}/api/common/v1/me
        </div>
      </div>
    </Dialog>
  );
}
