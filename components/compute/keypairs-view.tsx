"use client";
// A project's key pairs: list, create (the private key shown once) or import, delete.
import { useQuery } from "@tanstack/react-query";
import { KeyRound, Plus, Trash2 } from "lucide-react";
import { useMemo, useState } from "react";
import { defineKind, ResourceTable, usePermissions } from "@/components/resources";
import { useTRPC, useTRPCClient } from "@/components/trpc";
import { Button, Dialog, PageHeader, RelativeTime, StatusPill } from "@/components/ui";
import { CreateKeypairForm, PrivateKeyOnce, type CreatedKeypair } from "./keypair-forms";
import type { Keypair, Scope } from "./types";

const keypairKind = defineKind<Keypair>({
  id: "compute.keypair",
  label: "Key pair",
  plural: "Key pairs",
  icon: <KeyRound />,
  getId: (k) => k.id,
  getName: (k) => k.name,
  getStatus: (k) => k.status,
  defaultSort: { id: "name", desc: false },
  searchPlaceholder: "Search key pairs",
  empty: {
    title: "No key pairs yet",
    description:
      "A key pair lets you sign in to Linux instances over SSH. Create one or import your public key.",
  },
  columns: [
    { id: "name", header: "Name", sortable: true, hideable: false },
    {
      id: "fingerprint",
      header: "Fingerprint",
      cell: (k) => <span className="font-mono text-xs">{k.fingerprint ?? "—"}</span>,
      value: (k) => k.fingerprint ?? "",
    },
    { id: "type", header: "Type", sortable: true },
    { id: "region", header: "Region", sortable: true },
    { id: "status", header: "Status", cell: (k) => <StatusPill status={k.status} />, value: (k) => k.status },
    {
      id: "createdAt",
      header: "Created",
      sortable: true,
      cell: (k) => <RelativeTime date={k.createdAt} />,
      value: (k) => k.createdAt.toISOString(),
    },
    {
      id: "publicKey",
      header: "Public key",
      defaultVisible: false,
      cell: (k) => (
        <span className="block max-w-72 truncate font-mono text-xs" title={k.publicKey ?? undefined}>
          {k.publicKey ?? "—"}
        </span>
      ),
      value: (k) => k.publicKey ?? "",
    },
  ],
  actions: [
    {
      id: "delete",
      label: "Delete",
      icon: <Trash2 />,
      tone: "danger",
      permission: "compute.keypair.delete",
      confirm: {
        title: (rows) =>
          rows.length === 1 ? `Delete key pair ${rows[0]!.name}?` : `Delete ${rows.length} key pairs?`,
        description: () =>
          "Instances created with it keep accepting the key; new instances can no longer use it.",
        confirmLabel: "Delete",
        typed: true,
      },
      run: (k, ctx) =>
        ctx.client.compute.deleteKeypair.mutate({
          org: ctx.scope.org!,
          project: ctx.scope.project!,
          id: k.id,
        }),
    },
  ],
});

export function KeypairsView({ org, project }: Scope) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const perms = usePermissions({ org, project });
  const [creating, setCreating] = useState(false);
  const scope = useMemo(() => ({ org, project }), [org, project]);
  const createButton =
    !perms.ready || perms.can("compute.keypair.create") ? (
      <Button icon={<Plus />} onClick={() => setCreating(true)}>
        Create key pair
      </Button>
    ) : null;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Key pairs"
        description="SSH keys put on Linux instances at creation. Cirrus keeps the public key only."
        breadcrumbs={[
          { label: project, href: `/${org}/${project}` },
          { label: "Compute" },
          { label: "Key pairs" },
        ]}
        actions={createButton}
      />
      <ResourceTable
        kind={keypairKind}
        scope={scope}
        clientSide
        queryKey={trpc.compute.listKeypairs.pathKey()}
        fetchPage={({ cursor, limit }) =>
          client.compute.listKeypairs.query({ org, project, cursor, limit: Math.max(limit, 200) })
        }
        emptyAction={createButton}
      />
      <CreateKeypairDialog scope={scope} open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}

function CreateKeypairDialog({ scope, open, onClose }: { scope: Scope; open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} title="Create a key pair" size="lg">
      <CreateKeypairBody scope={scope} onClose={onClose} />
    </Dialog>
  );
}

function CreateKeypairBody({ scope, onClose }: { scope: Scope; onClose: () => void }) {
  const trpc = useTRPC();
  const regions = useQuery({ ...trpc.common.listRegions.queryOptions(), staleTime: 300_000 });
  const prefs = useQuery({ ...trpc.prefs.getPreferences.queryOptions(), staleTime: 300_000 });
  const [created, setCreated] = useState<CreatedKeypair | null>(null);
  const names = (regions.data?.items ?? []).filter((r) => r.status === "ok").map((r) => r.name);
  // The default region first, so the form starts on it.
  const ordered = [...names].sort(
    (a, b) => Number(b === prefs.data?.defaultRegion) - Number(a === prefs.data?.defaultRegion),
  );
  if (created)
    return (
      <div className="flex flex-col gap-4">
        <PrivateKeyOnce keypair={created} />
        <div className="flex justify-end">
          <Button onClick={onClose}>{created.privateKey ? "I have saved the key" : "Close"}</Button>
        </div>
      </div>
    );
  if (regions.isPending) return <p className="text-sm text-muted-foreground">Loading regions…</p>;
  return (
    <CreateKeypairForm
      key={ordered.join()}
      scope={scope}
      regions={ordered}
      onCreated={setCreated}
      onCancel={onClose}
    />
  );
}
