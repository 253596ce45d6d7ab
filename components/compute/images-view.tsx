"use client";
// A project's images: the region's public images and the project's own (uploads and snapshots).
// Upload = create the image record, then PUT the file with progress; owned images can change
// visibility or be deleted.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Disc3, Eye, Trash2, Upload } from "lucide-react";
import { useMemo, useRef, useState } from "react";
import { LiveStatus } from "@/components/audit/live-status";
import { defineKind, ResourceTable, usePermissions } from "@/components/resources";
import { useTRPC, useTRPCClient } from "@/components/trpc";
import {
  Alert,
  Badge,
  Button,
  Dialog,
  Field,
  Input,
  PageHeader,
  ProgressBar,
  RelativeTime,
  Select,
  StatusPill,
  errorInfo,
  toast,
} from "@/components/ui";
import { formatBytes, formatRam, osLabel } from "./format";
import type { Image, Scope } from "./types";
import { imageFileUrl, uploadFile, type UploadHandle } from "./upload";
import { useLiveResources } from "./use-live-resources";

const VISIBILITIES = [
  { value: "private", label: "Private (this project)" },
  { value: "shared", label: "Shared (projects it is shared with)" },
  { value: "community", label: "Community (every project)" },
];

const imageKind = defineKind<Image>({
  id: "compute.image",
  label: "Image",
  plural: "Images",
  icon: <Disc3 />,
  getId: (i) => i.id,
  getName: (i) => i.name,
  getStatus: (i) => i.status,
  defaultSort: { id: "name", desc: false },
  searchPlaceholder: "Search images",
  empty: { title: "No images", description: "Upload a disk image, or snapshot an instance." },
  columns: [
    { id: "name", header: "Name", sortable: true, hideable: false },
    {
      id: "status",
      header: "Status",
      sortable: true,
      cell: (i) => <StatusPill status={i.status} />,
      value: (i) => i.status,
    },
    { id: "os", header: "OS", sortable: true, value: (i) => osLabel(i) ?? "" },
    {
      id: "size",
      header: "Size",
      sortable: true,
      align: "right",
      cell: (i) => formatBytes(i.sizeBytes),
      value: (i) => i.sizeBytes ?? 0,
    },
    {
      id: "minDiskGb",
      header: "Min disk",
      align: "right",
      cell: (i) => `${i.minDiskGb} GB`,
      value: (i) => i.minDiskGb,
    },
    {
      id: "minRamMb",
      header: "Min RAM",
      align: "right",
      defaultVisible: false,
      cell: (i) => (i.minRamMb ? formatRam(i.minRamMb) : "—"),
      value: (i) => i.minRamMb,
    },
    {
      id: "visibility",
      header: "Visibility",
      sortable: true,
      cell: (i) => (
        <span className="flex items-center gap-1.5">
          <Badge tone={i.visibility === "public" ? "info" : "neutral"}>{i.visibility}</Badge>
          {i.owned ? <Badge tone="accent">yours</Badge> : null}
        </span>
      ),
      value: (i) => i.visibility,
    },
    { id: "diskFormat", header: "Format", defaultVisible: false, value: (i) => i.diskFormat ?? "" },
    { id: "region", header: "Region", sortable: true },
    {
      id: "createdAt",
      header: "Created",
      sortable: true,
      cell: (i) => <RelativeTime date={i.createdAt} />,
      value: (i) => i.createdAt.toISOString(),
    },
    {
      id: "providerId",
      header: "Image ID",
      defaultVisible: false,
      cell: (i) => <span className="font-mono text-xs">{i.providerId}</span>,
    },
  ],
  filters: [
    {
      id: "owner",
      label: "Owner",
      multiple: false,
      options: [
        { value: "mine", label: "This project's" },
        { value: "others", label: "Provided" },
      ],
      match: (i, v) => v.includes(i.owned ? "mine" : "others"),
    },
    {
      id: "visibility",
      label: "Visibility",
      options: ["public", "private", "shared", "community"].map((v) => ({ value: v, label: v })),
      match: (i, v) => v.includes(i.visibility),
    },
  ],
  actions: [
    {
      id: "delete",
      label: "Delete",
      icon: <Trash2 />,
      tone: "danger",
      permission: "compute.image.delete",
      placement: "row",
      disabled: (i) => (!i.owned ? "Only the project's own images can be deleted" : null),
      confirm: {
        title: (rows) => `Delete image ${rows[0]!.name}?`,
        description: () =>
          "Instances already created from it keep running; it can no longer be used for new ones.",
        confirmLabel: "Delete image",
        typed: true,
      },
      run: (i, ctx) =>
        ctx.client.compute.deleteImage.mutate({ org: ctx.scope.org!, project: ctx.scope.project!, id: i.id }),
    },
  ],
});

export function ImagesView({ org, project }: Scope) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const perms = usePermissions({ org, project });
  const live = useLiveResources({ org, project, kinds: ["image"] });
  const [uploading, setUploading] = useState(false);
  const [visibilityOf, setVisibilityOf] = useState<Image | null>(null);
  const canUpload = !perms.ready || perms.can("compute.image.create");
  const scope = useMemo(() => ({ org, project }), [org, project]);
  const uploadButton = canUpload ? (
    <Button icon={<Upload />} onClick={() => setUploading(true)}>
      Upload image
    </Button>
  ) : null;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Images"
        description="Operating system images instances boot from: the region's public images and this project's uploads and snapshots."
        breadcrumbs={[
          { label: project, href: `/${org}/${project}` },
          { label: "Compute" },
          { label: "Images" },
        ]}
        actions={
          <div className="flex items-center gap-3">
            <LiveStatus state={live.status} error={live.error} onRetry={live.retry} />
            {uploadButton}
          </div>
        }
      />
      <ResourceTable
        kind={imageKind}
        scope={scope}
        clientSide
        queryKey={trpc.compute.listImages.pathKey()}
        fetchPage={({ cursor, limit }) =>
          client.compute.listImages.query({ org, project, cursor, limit: Math.max(limit, 200) })
        }
        rowActions={(i) => [
          {
            label: "Change visibility",
            icon: <Eye />,
            disabled: !i.owned || (perms.ready && !perms.can("compute.image.create")),
            disabledReason: !i.owned
              ? "Only the project's own images"
              : "Requires the permission compute.image.create",
            onSelect: () => setVisibilityOf(i),
          },
        ]}
        emptyAction={uploadButton}
      />
      <UploadImageDialog scope={scope} open={uploading} onClose={() => setUploading(false)} />
      <VisibilityDialog scope={scope} image={visibilityOf} onClose={() => setVisibilityOf(null)} />
    </div>
  );
}

function VisibilityDialog({
  scope,
  image,
  onClose,
}: {
  scope: Scope;
  image: Image | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [value, setValue] = useState<string | null>(null);
  const update = useMutation(
    trpc.compute.updateImage.mutationOptions({
      onSuccess: () => {
        toast.success(`Visibility of ${image?.name ?? "the image"} changed`);
        void queryClient.invalidateQueries({ queryKey: trpc.compute.listImages.pathKey() });
        setValue(null);
        onClose();
      },
    }),
  );
  const current = value ?? image?.visibility ?? "private";
  return (
    <Dialog
      open={image !== null}
      onClose={() => {
        setValue(null);
        onClose();
      }}
      title={`Visibility of ${image?.name ?? ""}`}
      size="sm"
      dismissible={!update.isPending}
      footer={
        <>
          <Button variant="outline" onClick={onClose} disabled={update.isPending}>
            Cancel
          </Button>
          <Button
            loading={update.isPending}
            onClick={() =>
              image &&
              update.mutate({
                ...scope,
                id: image.id,
                visibility: current as "private" | "shared" | "community",
              })
            }
          >
            Save
          </Button>
        </>
      }
    >
      <div className="flex flex-col gap-3">
        <Field label="Visibility">
          <Select value={current} onChange={(e) => setValue(e.target.value)} options={VISIBILITIES} />
        </Field>
        {update.error ? <Alert tone="danger">{errorInfo(update.error).message}</Alert> : null}
      </div>
    </Dialog>
  );
}

const DISK_FORMATS = ["qcow2", "raw", "vmdk", "vdi", "iso", "vhd", "vhdx"] as const;

function formatFromName(name: string): (typeof DISK_FORMATS)[number] | null {
  const ext = name.toLowerCase().split(".").pop() ?? "";
  if (ext === "img") return "qcow2";
  return (DISK_FORMATS as readonly string[]).includes(ext) ? (ext as (typeof DISK_FORMATS)[number]) : null;
}

function UploadImageDialog({ scope, open, onClose }: { scope: Scope; open: boolean; onClose: () => void }) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Upload an image"
      description="A disk image file from your computer."
      size="lg"
    >
      <UploadForm scope={scope} onClose={onClose} />
    </Dialog>
  );
}

function UploadForm({ scope, onClose }: { scope: Scope; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const regions = useQuery({ ...trpc.common.listRegions.queryOptions(), staleTime: 300_000 });
  const prefs = useQuery({ ...trpc.prefs.getPreferences.queryOptions(), staleTime: 300_000 });
  const okRegions = (regions.data?.items ?? []).filter((r) => r.status === "ok").map((r) => r.name);
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState("");
  const [region, setRegion] = useState<string | null>(null);
  const [diskFormat, setDiskFormat] = useState<(typeof DISK_FORMATS)[number]>("qcow2");
  const [visibility, setVisibility] = useState<"private" | "shared" | "community">("private");
  const [minDisk, setMinDisk] = useState("0");
  const [minRam, setMinRam] = useState("0");
  const [osDistro, setOsDistro] = useState("");
  const [osVersion, setOsVersion] = useState("");
  const [touched, setTouched] = useState(false);
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const [phase, setPhase] = useState<"form" | "creating" | "uploading" | "done">("form");
  const [error, setError] = useState<unknown>(null);
  const handle = useRef<UploadHandle | null>(null);
  const chosenRegion =
    region ??
    (okRegions.includes(prefs.data?.defaultRegion ?? "") ? prefs.data!.defaultRegion! : okRegions[0]) ??
    "";
  const client = useTRPCClient();
  const createImage = useMutation(trpc.compute.createImage.mutationOptions());

  const errors = {
    file: file ? null : "Choose a file",
    name: name.trim() ? (name.trim().length > 64 ? "Use at most 64 characters" : null) : "Enter a name",
    minDisk: /^\d+$/.test(minDisk) ? null : "Whole GB",
    minRam: /^\d+$/.test(minRam) ? null : "Whole MB",
  };
  const busy = phase === "creating" || phase === "uploading";

  // The image record is created once; a failed upload retries the file only.
  const [created, setCreated] = useState<{ id: string; name: string } | null>(null);

  const start = async () => {
    setTouched(true);
    if (Object.values(errors).some(Boolean) || !file || !chosenRegion) return;
    setError(null);
    try {
      let image = created;
      if (!image) {
        setPhase("creating");
        const res = await createImage.mutateAsync({
          ...scope,
          name: name.trim(),
          region: chosenRegion,
          diskFormat,
          containerFormat: "bare",
          visibility,
          minDiskGb: Number(minDisk),
          minRamMb: Number(minRam),
          osDistro: osDistro.trim() || undefined,
          osVersion: osVersion.trim() || undefined,
        });
        image = { id: res.image.id, name: res.image.name };
        setCreated(image);
        void queryClient.invalidateQueries({ queryKey: trpc.compute.listImages.pathKey() });
        // The cloud accepts the file once the image exists there: wait for the create job.
        await waitForJob(res.job.id);
      }
      setPhase("uploading");
      setProgress({ sent: 0, total: file.size });
      handle.current = uploadFile(imageFileUrl(scope, image.id), file, (sent, total) =>
        setProgress({ sent, total }),
      );
      await handle.current.done;
      setPhase("done");
      toast.success(`${image.name} uploaded`, "The cloud checks the image; it becomes active in a moment.");
      void queryClient.invalidateQueries({ queryKey: trpc.compute.listImages.pathKey() });
    } catch (e) {
      setError(e);
      setPhase("form");
    } finally {
      handle.current = null;
    }
  };

  const waitForJob = async (jobId: string) => {
    const deadline = Date.now() + 5 * 60_000;
    for (;;) {
      const job = await client.jobs.getJob.query({ id: jobId });
      if (job.state === "SUCCEEDED") return;
      if (job.state === "FAILED") throw new Error(job.lastError ?? "Creating the image failed");
      if (Date.now() > deadline)
        throw new Error("The image is still being created: retry the upload in a moment");
      await new Promise((r) => setTimeout(r, 1000));
    }
  };

  if (phase === "done")
    return (
      <div className="flex flex-col gap-4">
        <Alert tone="success" title="Upload complete">
          {name} is being imported. It shows as active on the list once the cloud has checked it.
        </Alert>
        <div className="flex justify-end">
          <Button onClick={onClose}>Close</Button>
        </div>
      </div>
    );

  const pct = progress && progress.total ? Math.round((progress.sent / progress.total) * 100) : 0;
  return (
    <div className="flex flex-col gap-4">
      <Field
        label="File"
        required
        error={touched ? (errors.file ?? undefined) : undefined}
        hint={file ? `${formatBytes(file.size)}` : "qcow2, raw, vmdk, vdi, iso, vhd(x)"}
      >
        <Input
          type="file"
          disabled={busy}
          onChange={(e) => {
            const f = e.target.files?.[0] ?? null;
            setFile(f);
            if (f) {
              if (!name) setName(f.name.replace(/\.[^.]+$/, "").slice(0, 64));
              const fmt = formatFromName(f.name);
              if (fmt) setDiskFormat(fmt);
            }
          }}
        />
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Name" required error={touched ? (errors.name ?? undefined) : undefined}>
          <Input value={name} onChange={(e) => setName(e.target.value)} disabled={busy} />
        </Field>
        <Field label="Region" required>
          <Select
            value={chosenRegion}
            onChange={(e) => setRegion(e.target.value)}
            disabled={busy}
            options={okRegions.map((r) => ({ value: r, label: r }))}
          />
        </Field>
        <Field label="Disk format">
          <Select
            value={diskFormat}
            onChange={(e) => setDiskFormat(e.target.value as (typeof DISK_FORMATS)[number])}
            disabled={busy}
            options={DISK_FORMATS.map((f) => ({ value: f, label: f }))}
          />
        </Field>
        <Field label="Visibility">
          <Select
            value={visibility}
            onChange={(e) => setVisibility(e.target.value as typeof visibility)}
            disabled={busy}
            options={VISIBILITIES}
          />
        </Field>
        <Field label="Minimum disk (GB)" error={touched ? (errors.minDisk ?? undefined) : undefined}>
          <Input
            type="number"
            min={0}
            value={minDisk}
            onChange={(e) => setMinDisk(e.target.value)}
            disabled={busy}
          />
        </Field>
        <Field label="Minimum RAM (MB)" error={touched ? (errors.minRam ?? undefined) : undefined}>
          <Input
            type="number"
            min={0}
            value={minRam}
            onChange={(e) => setMinRam(e.target.value)}
            disabled={busy}
          />
        </Field>
        <Field label="OS distribution" hint="e.g. ubuntu, debian, rocky">
          <Input value={osDistro} onChange={(e) => setOsDistro(e.target.value)} disabled={busy} />
        </Field>
        <Field label="OS version">
          <Input
            value={osVersion}
            onChange={(e) => setOsVersion(e.target.value)}
            disabled={busy}
            placeholder="24.04"
          />
        </Field>
      </div>
      {phase === "creating" ? (
        <p className="text-sm text-muted-foreground" role="status">
          Creating the image in {chosenRegion}…
        </p>
      ) : null}
      {phase === "uploading" && progress ? (
        <div className="flex flex-col gap-1.5" data-testid="upload-progress">
          <ProgressBar value={pct} label="Upload progress" />
          <p className="text-xs text-muted-foreground tabular-nums">
            {formatBytes(progress.sent)} of {formatBytes(progress.total)} · {pct} %
          </p>
        </div>
      ) : null}
      {error ? (
        <Alert tone="danger" title={created ? "The upload failed" : "The image was not created"}>
          {errorInfo(error).message}
          {errorInfo(error).requestId ? (
            <span className="mt-1 block font-mono text-xs opacity-75">
              Request ID {errorInfo(error).requestId}
            </span>
          ) : null}
        </Alert>
      ) : null}
      <div className="flex justify-end gap-2">
        <Button
          variant="outline"
          onClick={() => {
            if (handle.current) handle.current.abort();
            else onClose();
          }}
          disabled={phase === "creating"}
        >
          {phase === "uploading" ? "Cancel upload" : "Cancel"}
        </Button>
        <Button icon={<Upload />} loading={busy} onClick={() => void start()}>
          {created ? "Retry upload" : "Upload"}
        </Button>
      </div>
    </div>
  );
}
