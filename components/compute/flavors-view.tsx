"use client";
// The flavors a project can use, per region; platform operators create new ones here.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Cpu, Plus } from "lucide-react";
import { useMemo, useState } from "react";
import { defineKind, ResourceTable, usePermissions } from "@/components/resources";
import { useTRPC, useTRPCClient } from "@/components/trpc";
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Dialog,
  Field,
  Input,
  PageHeader,
  Select,
  errorInfo,
  toast,
} from "@/components/ui";
import { formatRam } from "./format";
import type { Flavor, Scope } from "./types";

const flavorKind = defineKind<Flavor>({
  id: "compute.flavor",
  label: "Flavor",
  plural: "Flavors",
  icon: <Cpu />,
  getId: (f) => f.id,
  getName: (f) => f.name,
  defaultSort: { id: "vcpus", desc: false },
  searchPlaceholder: "Search flavors",
  empty: { title: "No flavors", description: "The cloud offers no flavor to this project yet." },
  columns: [
    { id: "name", header: "Name", sortable: true, hideable: false },
    { id: "vcpus", header: "vCPUs", sortable: true, align: "right" },
    {
      id: "ramMb",
      header: "RAM",
      sortable: true,
      align: "right",
      cell: (f) => formatRam(f.ramMb),
      value: (f) => f.ramMb,
    },
    {
      id: "diskGb",
      header: "Disk",
      sortable: true,
      align: "right",
      cell: (f) => (f.diskGb ? `${f.diskGb} GB` : "—"),
      value: (f) => f.diskGb,
    },
    {
      id: "isPublic",
      header: "Access",
      cell: (f) => (f.isPublic ? <Badge tone="info">Public</Badge> : <Badge>Private</Badge>),
      value: (f) => (f.isPublic ? "public" : "private"),
    },
    { id: "region", header: "Region", sortable: true },
    {
      id: "description",
      header: "Description",
      cell: (f) => <span className="text-muted-foreground">{f.description ?? "—"}</span>,
      value: (f) => f.description ?? "",
    },
    {
      id: "providerId",
      header: "Flavor ID",
      defaultVisible: false,
      cell: (f) => <span className="font-mono text-xs">{f.providerId}</span>,
    },
  ],
});

export function FlavorsView({ org, project }: Scope) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const perms = usePermissions({ org, project });
  const [creating, setCreating] = useState(false);
  const scope = useMemo(() => ({ org, project }), [org, project]);
  // Flavors are the platform's: only operators with the permission create them.
  const canCreate = perms.can("platform.flavor.create");
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Flavors"
        description="Instance sizes: virtual CPUs, memory and local disk."
        breadcrumbs={[
          { label: project, href: `/${org}/${project}` },
          { label: "Compute" },
          { label: "Flavors" },
        ]}
        actions={
          canCreate ? (
            <Button icon={<Plus />} onClick={() => setCreating(true)}>
              Create flavor
            </Button>
          ) : null
        }
      />
      <ResourceTable
        kind={flavorKind}
        scope={scope}
        clientSide
        queryKey={trpc.compute.listFlavors.pathKey()}
        fetchPage={({ cursor, limit }) =>
          client.compute.listFlavors.query({ org, project, cursor, limit: Math.max(limit, 200) })
        }
      />
      <Dialog
        open={creating}
        onClose={() => setCreating(false)}
        title="Create a flavor"
        description="Available to every project of the region when public."
        size="md"
      >
        <CreateFlavorForm onClose={() => setCreating(false)} />
      </Dialog>
    </div>
  );
}

function CreateFlavorForm({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const regions = useQuery({ ...trpc.common.listRegions.queryOptions(), staleTime: 300_000 });
  const names = (regions.data?.items ?? []).filter((r) => r.status === "ok").map((r) => r.name);
  const [region, setRegion] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [vcpus, setVcpus] = useState("2");
  const [ramMb, setRamMb] = useState("4096");
  const [diskGb, setDiskGb] = useState("20");
  const [isPublic, setIsPublic] = useState(true);
  const [description, setDescription] = useState("");
  const [touched, setTouched] = useState(false);
  const create = useMutation(
    trpc.ops.createFlavor.mutationOptions({
      onSuccess: () => {
        toast.success(`Flavor ${name.trim()} created`);
        void queryClient.invalidateQueries({ queryKey: trpc.compute.listFlavors.pathKey() });
        onClose();
      },
    }),
  );
  const int = (v: string, min: number, max: number) =>
    /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max ? Number(v) : null;
  const errors = {
    name: name.trim() ? null : "Enter a name",
    vcpus: int(vcpus, 1, 512) === null ? "1 to 512" : null,
    ramMb: int(ramMb, 64, 4194304) === null ? "64 MB to 4 TB, in MB" : null,
    diskGb: int(diskGb, 0, 16384) === null ? "0 to 16384 GB (0: boot from volume only)" : null,
  };
  const chosen = region ?? names[0] ?? "";
  const submit = () => {
    setTouched(true);
    if (Object.values(errors).some(Boolean) || !chosen) return;
    create.mutate({
      region: chosen,
      name: name.trim(),
      vcpus: Number(vcpus),
      ramMb: Number(ramMb),
      diskGb: Number(diskGb),
      isPublic,
      description: description.trim() || undefined,
    });
  };
  const err = (k: keyof typeof errors) => (touched ? (errors[k] ?? undefined) : undefined);
  return (
    <div className="flex flex-col gap-4">
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Name" required error={err("name")}>
          <Input value={name} onChange={(e) => setName(e.target.value)} placeholder="m1.large" />
        </Field>
        <Field label="Region" required>
          <Select
            value={chosen}
            onChange={(e) => setRegion(e.target.value)}
            options={names.map((r) => ({ value: r, label: r }))}
          />
        </Field>
        <Field label="vCPUs" required error={err("vcpus")}>
          <Input type="number" min={1} value={vcpus} onChange={(e) => setVcpus(e.target.value)} />
        </Field>
        <Field
          label="RAM (MB)"
          required
          error={err("ramMb")}
          hint={int(ramMb, 1, 1e9) ? formatRam(Number(ramMb)) : undefined}
        >
          <Input type="number" min={64} step={512} value={ramMb} onChange={(e) => setRamMb(e.target.value)} />
        </Field>
        <Field label="Disk (GB)" required error={err("diskGb")}>
          <Input type="number" min={0} value={diskGb} onChange={(e) => setDiskGb(e.target.value)} />
        </Field>
        <div className="flex items-end pb-2">
          <Field label="Public" inline hint="Every project can use it">
            <Checkbox checked={isPublic} onChange={(e) => setIsPublic(e.target.checked)} />
          </Field>
        </div>
      </div>
      <Field label="Description">
        <Input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={255} />
      </Field>
      {create.error ? (
        <Alert tone="danger" title="The flavor was not created">
          {errorInfo(create.error).message}
        </Alert>
      ) : null}
      <div className="flex justify-end gap-2">
        <Button variant="outline" onClick={onClose} disabled={create.isPending}>
          Cancel
        </Button>
        <Button loading={create.isPending} onClick={submit}>
          Create flavor
        </Button>
      </div>
    </div>
  );
}
