"use client";
// Every action of lib/compute/actions.ts for one instance: a menu where each refused action says
// why (Nova's state rules, the lock, a job in flight, a missing permission), and the dialogs of
// the actions that take parameters.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Camera,
  ChevronDown,
  CheckCircle2,
  HardDrive,
  Lock,
  Network,
  Pause,
  Play,
  Power,
  RefreshCw,
  RotateCw,
  Scaling,
  Shield,
  Square,
  Trash2,
  Unlock,
  Globe,
  Moon,
  Sun,
  Undo2,
  Unplug,
} from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { ACTION_LABELS, actionRefusal, type InstanceAction } from "@/lib/compute/actions";
import type { InstanceActionInput } from "@/server/routers/compute/schemas";
import { usePermissions } from "@/components/resources";
import { useTRPC } from "@/components/trpc";
import {
  Alert,
  Button,
  Checkbox,
  ConfirmDialog,
  Dialog,
  DropdownMenu,
  Field,
  Input,
  Select,
  errorInfo,
  toast,
  type MenuEntry,
} from "@/components/ui";
import { flavorShape, ramGb } from "./format";
import { FlavorPicker, ImagePicker } from "./pickers";
import type { Flavor, Image, InstanceDetail, Scope } from "./types";

type Params<A extends InstanceAction> = Omit<Extract<InstanceActionInput, { action: A }>, "id" | "action">;
type ActionName = InstanceAction | "delete";

/** Actions that take parameters open a dialog; the others run at once (some after a confirmation). */
const DIALOG_ACTIONS = new Set<ActionName>([
  "resize",
  "rebuild",
  "snapshot",
  "attachVolume",
  "detachVolume",
  "attachInterface",
  "detachInterface",
  "addSecurityGroup",
  "removeSecurityGroup",
  "associateFloatingIp",
  "disassociateFloatingIp",
  "lock",
]);

const CONFIRM: Partial<Record<ActionName, { title: string; description: string; danger?: boolean }>> = {
  stop: {
    title: "Stop",
    description: "The operating system is asked to shut down; the instance keeps its disks and addresses.",
  },
  hardReboot: {
    title: "Hard reboot",
    description: "A power cycle without shutting down the operating system: unsaved data in memory is lost.",
    danger: true,
  },
  revertResize: { title: "Revert resize", description: "The instance goes back to its previous flavor." },
  suspend: {
    title: "Suspend",
    description: "Memory is written to disk and the instance stops until resumed.",
  },
};

const ICONS: Record<ActionName, ReactNode> = {
  start: <Play />,
  stop: <Square />,
  reboot: <RotateCw />,
  hardReboot: <Power />,
  pause: <Pause />,
  unpause: <Play />,
  suspend: <Moon />,
  resume: <Sun />,
  resize: <Scaling />,
  confirmResize: <CheckCircle2 />,
  revertResize: <Undo2 />,
  rebuild: <RefreshCw />,
  snapshot: <Camera />,
  attachVolume: <HardDrive />,
  detachVolume: <Unplug />,
  attachInterface: <Network />,
  detachInterface: <Unplug />,
  addSecurityGroup: <Shield />,
  removeSecurityGroup: <Shield />,
  associateFloatingIp: <Globe />,
  disassociateFloatingIp: <Globe />,
  lock: <Lock />,
  unlock: <Unlock />,
  delete: <Trash2 />,
};

/**
 * Three short menus rather than one of 24 entries (which would run off a laptop screen): power,
 * what is attached, and the changes to the server itself.
 */
const MENUS: { id: string; label: string; groups: { label: string; actions: ActionName[] }[] }[] = [
  {
    id: "power",
    label: "Power",
    groups: [
      {
        label: "Power",
        actions: ["start", "stop", "reboot", "hardReboot", "pause", "unpause", "suspend", "resume"],
      },
    ],
  },
  {
    id: "attach",
    label: "Attach",
    groups: [
      { label: "Storage", actions: ["attachVolume", "detachVolume"] },
      {
        label: "Network",
        actions: [
          "attachInterface",
          "detachInterface",
          "addSecurityGroup",
          "removeSecurityGroup",
          "associateFloatingIp",
          "disassociateFloatingIp",
        ],
      },
    ],
  },
  {
    id: "actions",
    label: "Actions",
    groups: [
      { label: "Configuration", actions: ["resize", "confirmResize", "revertResize", "rebuild", "snapshot"] },
      { label: "Protection", actions: ["lock", "unlock"] },
      { label: "", actions: ["delete"] },
    ],
  },
];

/** Extra refusals the state table cannot know: nothing to detach, nothing to remove. */
function nothingTo(i: InstanceDetail, a: ActionName): string | null {
  switch (a) {
    case "detachVolume":
      return i.volumes.some((v) => !v.boot && v.id) ? null : "No detachable volume is attached";
    case "detachInterface":
      return i.interfaces.length > 1 ? null : "The last interface cannot be detached";
    case "removeSecurityGroup":
      return i.securityGroupDetails.length ? null : "No security group to remove";
    case "associateFloatingIp":
      return i.interfaces.length > 0 && i.interfaces.every((n) => n.floatingIps.length > 0)
        ? "Every interface already has an elastic IP"
        : null;
    case "disassociateFloatingIp":
      return i.interfaces.some((n) => n.floatingIps.length) ? null : "No elastic IP is associated";
    default:
      return null;
  }
}

export function useRunAction(scope: Scope, instance: Pick<InstanceDetail, "id" | "name">) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.compute.instanceAction.mutationOptions({
      onSuccess: (_res, input) => {
        toast.success(
          `${ACTION_LABELS[input.action]}: ${instance.name}`,
          "Running as a job; the page follows it.",
        );
        void queryClient.invalidateQueries({ queryKey: trpc.compute.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.jobs.pathKey() });
      },
    }),
  );
}

export function InstanceActions({ scope, instance }: { scope: Scope; instance: InstanceDetail }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const perms = usePermissions(scope);
  const run = useRunAction(scope, instance);
  const [open, setOpen] = useState<ActionName | null>(null);
  const del = useMutation(trpc.compute.deleteInstance.mutationOptions());

  const refusal = (a: ActionName): string | null => {
    const permission = a === "delete" ? "compute.instance.delete" : "compute.instance.action";
    if (perms.ready && !perms.can(permission)) return `Requires the permission ${permission}`;
    return actionRefusal(instance, a) ?? nothingTo(instance, a);
  };

  const start = (a: ActionName) => {
    if (DIALOG_ACTIONS.has(a) || CONFIRM[a] || a === "delete") setOpen(a);
    else
      run.mutate({ ...scope, id: instance.id, action: a } as InstanceActionInput & Scope, {
        onError: (e) => toast.error(`${ACTION_LABELS[a]} failed`, e),
      });
  };

  const entry = (a: ActionName): MenuEntry => {
    const reason = refusal(a);
    return {
      label: ACTION_LABELS[a],
      icon: ICONS[a],
      tone: a === "delete" ? "danger" : undefined,
      disabled: Boolean(reason),
      disabledReason: reason ?? undefined,
      onSelect: () => start(a),
      "data-testid": `instance-action-${a}`,
    };
  };

  const menuItems = (groups: (typeof MENUS)[number]["groups"]): MenuEntry[] =>
    groups.flatMap((g, i) => [
      ...(i > 0 ? [{ type: "separator" as const }] : []),
      ...(g.label && groups.length > 1 ? [{ type: "label" as const, label: g.label }] : []),
      ...g.actions.map(entry),
    ]);

  // The one or two actions most likely next, as buttons beside the menu.
  const primary: ActionName[] =
    instance.status === "VERIFY_RESIZE"
      ? ["confirmResize", "revertResize"]
      : instance.status === "SHUTOFF"
        ? ["start"]
        : instance.status === "ACTIVE"
          ? ["stop", "reboot"]
          : [];

  const close = () => setOpen(null);
  const confirm = open ? CONFIRM[open] : undefined;
  const submit = async (params: object) => {
    if (!open || open === "delete") return;
    await run.mutateAsync({ ...scope, id: instance.id, action: open, ...params } as InstanceActionInput &
      Scope);
    close();
  };
  const dialogProps = { scope, instance, onClose: close, onSubmit: submit };

  return (
    <div className="flex flex-wrap items-center gap-2">
      {primary.map((a) => {
        const reason = refusal(a);
        return (
          <Button
            key={a}
            variant="outline"
            size="sm"
            icon={ICONS[a]}
            disabled={Boolean(reason) || run.isPending}
            title={reason ?? undefined}
            onClick={() => start(a)}
          >
            {ACTION_LABELS[a]}
          </Button>
        );
      })}
      {MENUS.map((m) => (
        <DropdownMenu
          key={m.id}
          aria-label={`${m.label} actions for ${instance.name}`}
          align="end"
          triggerVariant="outline"
          triggerSize="sm"
          trigger={
            <span className="flex items-center gap-1 px-1 text-sm">
              {m.label}
              <ChevronDown className="size-3.5" aria-hidden="true" />
            </span>
          }
          items={menuItems(m.groups)}
          data-testid={`instance-menu-${m.id}`}
        />
      ))}

      {confirm && open ? (
        <ConfirmDialog
          open
          onClose={close}
          title={`${confirm.title} ${instance.name}?`}
          description={confirm.description}
          tone={confirm.danger ? "danger" : "default"}
          confirmLabel={confirm.title}
          onConfirm={() => submit({})}
        />
      ) : null}
      <ConfirmDialog
        open={open === "delete"}
        onClose={close}
        tone="danger"
        title={`Delete instance ${instance.name}?`}
        description="The server is deleted with its local disk and the volumes created with it (delete on termination). Other attached volumes are detached and kept; elastic IPs are disassociated. This cannot be undone."
        typedConfirmation={instance.name}
        confirmLabel="Delete instance"
        onConfirm={async () => {
          await del.mutateAsync({ ...scope, id: instance.id });
          toast.success(`Deleting ${instance.name}`, "The deletion runs as a job.");
          void queryClient.invalidateQueries({ queryKey: trpc.compute.pathKey() });
          router.push(`/${scope.org}/${scope.project}/compute/instances`);
        }}
      />
      {open === "resize" ? <ResizeDialog {...dialogProps} /> : null}
      {open === "rebuild" ? <RebuildDialog {...dialogProps} /> : null}
      {open === "snapshot" ? <SnapshotDialog {...dialogProps} /> : null}
      {open === "lock" ? <LockDialog {...dialogProps} /> : null}
      {open === "attachVolume" ? <AttachVolumeDialog {...dialogProps} /> : null}
      {open === "detachVolume" ? <DetachVolumeDialog {...dialogProps} /> : null}
      {open === "attachInterface" ? <AttachInterfaceDialog {...dialogProps} /> : null}
      {open === "detachInterface" ? <DetachInterfaceDialog {...dialogProps} /> : null}
      {open === "addSecurityGroup" || open === "removeSecurityGroup" ? (
        <SecurityGroupDialog {...dialogProps} remove={open === "removeSecurityGroup"} />
      ) : null}
      {open === "associateFloatingIp" ? <AssociateIpDialog {...dialogProps} /> : null}
      {open === "disassociateFloatingIp" ? <DisassociateIpDialog {...dialogProps} /> : null}
    </div>
  );
}

interface DialogProps {
  scope: Scope;
  instance: InstanceDetail;
  onClose: () => void;
  onSubmit: (params: object) => Promise<void>;
}

/** A parameter dialog: its form, the error of the last attempt, Cancel and the action's button. */
function ActionDialog({
  title,
  description,
  children,
  submitLabel,
  disabled,
  params,
  onClose,
  onSubmit,
  size = "md",
  tone,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  submitLabel: string;
  disabled?: boolean;
  params: () => object | string;
  onClose: () => void;
  onSubmit: (params: object) => Promise<void>;
  size?: "sm" | "md" | "lg" | "xl";
  tone?: "danger";
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const go = async () => {
    const p = params();
    if (typeof p === "string") {
      setError(p);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSubmit(p);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const info = error ? errorInfo(error) : null;
  return (
    <Dialog
      open
      onClose={onClose}
      title={title}
      description={description}
      size={size}
      dismissible={!busy}
      footer={
        <>
          <Button variant="outline" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button
            variant={tone === "danger" ? "danger" : "primary"}
            loading={busy}
            disabled={disabled}
            onClick={() => void go()}
          >
            {submitLabel}
          </Button>
        </>
      }
    >
      <div className="flex flex-col gap-4">
        {children}
        {info ? (
          <Alert tone="danger" title="Not done">
            {info.message}
            {info.requestId ? (
              <span className="mt-1 block font-mono text-xs opacity-75">Request ID {info.requestId}</span>
            ) : null}
          </Alert>
        ) : null}
      </div>
    </Dialog>
  );
}

function useRegionCatalog(scope: Scope, region: string) {
  const trpc = useTRPC();
  const input = { ...scope, region, limit: 500 };
  return { trpc, input };
}

function ResizeDialog({ scope, instance, onClose, onSubmit }: DialogProps) {
  const { trpc, input } = useRegionCatalog(scope, instance.region);
  const flavors = useQuery({ ...trpc.compute.listFlavors.queryOptions(input), staleTime: 300_000 });
  const quotas = useQuery({ ...trpc.quota.getProjectQuotas.queryOptions(scope), retry: false });
  const [flavor, setFlavor] = useState<Flavor | null>(null);
  const q = quotas.data as
    | { limits: Record<string, number>; usage: Record<string, number>; reserved: Record<string, number> }
    | undefined;
  const left = (r: string) => (q ? (q.limits[r] ?? 0) - (q.usage[r] ?? 0) - (q.reserved[r] ?? 0) : Infinity);
  const refusal = (f: Flavor) => {
    if (f.providerId === instance.flavor?.id || f.name === instance.flavor?.name) return "Current flavor";
    if (!instance.bootFromVolume && instance.flavor && f.diskGb < instance.flavor.diskGb)
      return "Local disks cannot shrink";
    const cur = instance.flavor;
    if (cur && f.vcpus - cur.vcpus > left("vcpus"))
      return `Over quota: ${Math.max(0, left("vcpus"))} vCPUs left`;
    if (cur && ramGb(f.ramMb) - ramGb(cur.ramMb) > left("ramGb"))
      return `Over quota: ${Math.max(0, left("ramGb"))} GB RAM left`;
    return null;
  };
  return (
    <ActionDialog
      title={`Resize ${instance.name}`}
      description={`Now ${instance.flavor ? `${instance.flavor.name} (${flavorShape(instance.flavor)})` : "unknown flavor"}. The instance restarts; confirm or revert the resize afterwards.`}
      submitLabel="Resize"
      size="xl"
      disabled={!flavor}
      params={() => (flavor ? { flavorId: flavor.providerId } : "Choose a flavor")}
      onClose={onClose}
      onSubmit={onSubmit}
    >
      <FlavorPicker
        flavors={flavors.data?.items ?? []}
        loading={flavors.isPending}
        value={flavor?.providerId ?? null}
        onChange={setFlavor}
        disabledReason={refusal}
      />
    </ActionDialog>
  );
}

function RebuildDialog({ scope, instance, onClose, onSubmit }: DialogProps) {
  const { trpc, input } = useRegionCatalog(scope, instance.region);
  const images = useQuery({ ...trpc.compute.listImages.queryOptions(input), staleTime: 300_000 });
  const [image, setImage] = useState<Image | null>(null);
  return (
    <ActionDialog
      title={`Rebuild ${instance.name}`}
      description="The instance is reinstalled from the image: everything on its system disk is lost. Addresses, volumes and the flavor stay."
      submitLabel="Rebuild"
      tone="danger"
      size="xl"
      disabled={!image}
      params={() => (image ? { imageId: image.providerId } : "Choose an image")}
      onClose={onClose}
      onSubmit={onSubmit}
    >
      <ImagePicker
        images={(images.data?.items ?? []).filter((i) => i.status.toLowerCase() === "active")}
        loading={images.isPending}
        value={image?.providerId ?? instance.image?.id ?? null}
        onChange={setImage}
        disabledReason={(i) =>
          instance.flavor &&
          !instance.bootFromVolume &&
          instance.flavor.diskGb > 0 &&
          i.minDiskGb > instance.flavor.diskGb
            ? `Needs ${i.minDiskGb} GB of disk; the flavor has ${instance.flavor.diskGb} GB`
            : null
        }
      />
    </ActionDialog>
  );
}

function SnapshotDialog({ instance, onClose, onSubmit }: DialogProps) {
  const [name, setName] = useState(`${instance.name}-snapshot`);
  const err = !name.trim() ? "Enter a name" : name.trim().length > 64 ? "Use at most 64 characters" : null;
  return (
    <ActionDialog
      title={`Snapshot of ${instance.name}`}
      description="A new private image of the instance's system disk. It shows on the Images page once saved."
      submitLabel="Create snapshot"
      params={() => err ?? ({ imageName: name.trim() } satisfies Params<"snapshot">)}
      onClose={onClose}
      onSubmit={onSubmit}
    >
      <Field label="Image name" required error={err ?? undefined}>
        <Input value={name} onChange={(e) => setName(e.target.value)} autoFocus />
      </Field>
    </ActionDialog>
  );
}

function LockDialog({ instance, onClose, onSubmit }: DialogProps) {
  const [reason, setReason] = useState("");
  return (
    <ActionDialog
      title={`Lock ${instance.name}`}
      description="A locked instance refuses every change (stop, delete, resize…) until it is unlocked."
      submitLabel="Lock"
      params={() =>
        reason.length > 255
          ? "Keep the reason under 255 characters"
          : ({ reason: reason.trim() || undefined } satisfies Params<"lock">)
      }
      onClose={onClose}
      onSubmit={onSubmit}
    >
      <Field label="Reason" hint="Shown to whoever tries to change it">
        <Input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="Production database: ask #ops"
          maxLength={255}
        />
      </Field>
    </ActionDialog>
  );
}

function AttachVolumeDialog({ scope, instance, onClose, onSubmit }: DialogProps) {
  const trpc = useTRPC();
  const volumes = useQuery(
    trpc.storage.listVolumes.queryOptions({ ...scope, region: instance.region, limit: 500 }),
  );
  const available = (volumes.data?.items ?? []).filter(
    (v) => !v.attachedTo && v.status.toLowerCase() === "available",
  );
  const [mode, setMode] = useState<"existing" | "new">("existing");
  const [volumeId, setVolumeId] = useState("");
  const [name, setName] = useState(`${instance.name}-data`);
  const [size, setSize] = useState("20");
  const [type, setType] = useState("");
  const chosen = volumeId || available[0]?.id || "";
  const params = (): Params<"attachVolume"> | string => {
    if (mode === "existing") return chosen ? { volumeId: chosen } : "Choose a volume, or create a new one";
    const n = Number(size);
    if (!/^\d+$/.test(size) || n < 1 || n > 16384) return "Enter a size in whole GB (1-16384)";
    return { newVolume: { name: name.trim() || undefined, sizeGb: n, volumeType: type.trim() || undefined } };
  };
  return (
    <ActionDialog
      title={`Attach a volume to ${instance.name}`}
      submitLabel="Attach"
      params={params}
      onClose={onClose}
      onSubmit={onSubmit}
    >
      <ModeChoice
        label="Volume"
        name="attach-mode"
        value={mode}
        onChange={setMode}
        options={[
          ["existing", "An available volume"],
          ["new", "A new blank volume"],
        ]}
      />
      {mode === "existing" ? (
        <Field label="Volume" hint={`Unattached volumes of ${instance.region}`}>
          <Select
            value={chosen}
            onChange={(e) => setVolumeId(e.target.value)}
            disabled={volumes.isPending || available.length === 0}
            placeholder={
              volumes.isPending ? "Loading…" : available.length ? undefined : "No available volume"
            }
            options={available.map((v) => ({
              value: v.id,
              label: `${v.name} · ${v.sizeGb} GB${v.volumeType ? ` · ${v.volumeType}` : ""}`,
            }))}
          />
        </Field>
      ) : (
        <div className="grid gap-4 sm:grid-cols-3">
          <Field label="Name">
            <Input value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
          <Field label="Size (GB)" required>
            <Input type="number" min={1} value={size} onChange={(e) => setSize(e.target.value)} />
          </Field>
          <Field label="Type" hint="Empty: default">
            <Input value={type} onChange={(e) => setType(e.target.value)} placeholder="default" />
          </Field>
        </div>
      )}
      {volumes.isError ? (
        <Alert tone="warning">The volumes could not be listed: {errorInfo(volumes.error).message}</Alert>
      ) : null}
    </ActionDialog>
  );
}

function DetachVolumeDialog({ instance, onClose, onSubmit }: DialogProps) {
  const detachable = instance.volumes.filter((v) => !v.boot && v.id);
  const [volumeId, setVolumeId] = useState(detachable[0]?.id ?? "");
  return (
    <ActionDialog
      title={`Detach a volume from ${instance.name}`}
      description="Unmount it inside the operating system first, or data written since may be lost. The volume is kept."
      submitLabel="Detach"
      params={() => (volumeId ? ({ volumeId } satisfies Params<"detachVolume">) : "Choose a volume")}
      onClose={onClose}
      onSubmit={onSubmit}
    >
      <Field label="Volume">
        <Select
          value={volumeId}
          onChange={(e) => setVolumeId(e.target.value)}
          options={detachable.map((v) => ({
            value: v.id!,
            label: `${v.name}${v.device ? ` (${v.device})` : ""}${v.sizeGb ? ` · ${v.sizeGb} GB` : ""}`,
          }))}
        />
      </Field>
    </ActionDialog>
  );
}

function AttachInterfaceDialog({ scope, instance, onClose, onSubmit }: DialogProps) {
  const { trpc, input } = useRegionCatalog(scope, instance.region);
  const networks = useQuery(trpc.network.listNetworks.queryOptions(input));
  const subnets = useQuery(trpc.network.listSubnets.queryOptions(input));
  const usable = (networks.data?.items ?? []).filter((n) => !n.external);
  const [networkId, setNetworkId] = useState("");
  const [subnetId, setSubnetId] = useState("");
  const net = networkId || usable[0]?.providerId || "";
  const nets = (subnets.data?.items ?? []).filter((s) => s.networkId === net);
  return (
    <ActionDialog
      title={`Attach a network interface to ${instance.name}`}
      description="A new port on the network; the operating system may need to bring the interface up."
      submitLabel="Attach"
      params={() =>
        net
          ? ({ networkId: net, subnetId: subnetId || undefined } satisfies Params<"attachInterface">)
          : "Choose a network"
      }
      onClose={onClose}
      onSubmit={onSubmit}
    >
      <Field label="Network">
        <Select
          value={net}
          onChange={(e) => {
            setNetworkId(e.target.value);
            setSubnetId("");
          }}
          disabled={networks.isPending}
          placeholder={networks.isPending ? "Loading…" : usable.length ? undefined : "No network"}
          options={usable.map((n) => ({
            value: n.providerId,
            label: `${n.name}${n.isDefault ? " (default)" : ""}`,
          }))}
        />
      </Field>
      <Field label="Subnet" hint="Any: the network's first subnet with room">
        <Select
          value={subnetId}
          onChange={(e) => setSubnetId(e.target.value)}
          options={[
            { value: "", label: "Any subnet" },
            ...nets.map((s) => ({ value: s.providerId, label: `${s.name} · ${s.cidr}` })),
          ]}
        />
      </Field>
    </ActionDialog>
  );
}

function DetachInterfaceDialog({ instance, onClose, onSubmit }: DialogProps) {
  const [portId, setPortId] = useState(instance.interfaces.at(-1)?.portId ?? "");
  return (
    <ActionDialog
      title={`Detach a network interface from ${instance.name}`}
      description="Its addresses are released; an elastic IP on it is disassociated."
      submitLabel="Detach"
      tone="danger"
      params={() => (portId ? ({ portId } satisfies Params<"detachInterface">) : "Choose an interface")}
      onClose={onClose}
      onSubmit={onSubmit}
    >
      <Field label="Interface">
        <Select
          value={portId}
          onChange={(e) => setPortId(e.target.value)}
          options={instance.interfaces.map((n) => ({
            value: n.portId,
            label: `${n.networkName ?? n.networkId ?? "network"} · ${n.fixedIps.map((f) => f.ip).join(", ") || n.portId}`,
          }))}
        />
      </Field>
    </ActionDialog>
  );
}

function SecurityGroupDialog({
  scope,
  instance,
  onClose,
  onSubmit,
  remove,
}: DialogProps & { remove: boolean }) {
  const { trpc, input } = useRegionCatalog(scope, instance.region);
  const groups = useQuery(trpc.network.listSecurityGroups.queryOptions(input));
  const all = groups.data?.items ?? [];
  const attachedNames = new Set(instance.securityGroupDetails.map((g) => g.name));
  const attachedIds = new Set(instance.securityGroupDetails.map((g) => g.id).filter(Boolean));
  const isAttached = (g: { providerId: string; name: string }) =>
    attachedIds.has(g.providerId) || attachedNames.has(g.name);
  const options = remove
    ? instance.securityGroupDetails.map((g) => ({
        value: all.find((x) => x.providerId === g.id || x.name === g.name)?.providerId ?? g.id ?? "",
        label: g.name,
      }))
    : all
        .filter((g) => !isAttached(g))
        .map((g) => ({
          value: g.providerId,
          label: g.description ? `${g.name} — ${g.description}` : g.name,
        }));
  const [value, setValue] = useState("");
  const chosen = value || options[0]?.value || "";
  return (
    <ActionDialog
      title={`${remove ? "Remove a security group from" : "Add a security group to"} ${instance.name}`}
      description={
        remove
          ? "Its rules stop applying to every interface of the instance."
          : "Its rules apply to every interface of the instance."
      }
      submitLabel={remove ? "Remove" : "Add"}
      params={() => (chosen ? { securityGroupId: chosen } : "Choose a security group")}
      onClose={onClose}
      onSubmit={onSubmit}
    >
      <Field label="Security group">
        <Select
          value={chosen}
          onChange={(e) => setValue(e.target.value)}
          disabled={!remove && groups.isPending}
          placeholder={
            !remove && groups.isPending ? "Loading…" : options.length ? undefined : "None to choose"
          }
          options={options.filter((o) => o.value)}
        />
      </Field>
    </ActionDialog>
  );
}

function AssociateIpDialog({ scope, instance, onClose, onSubmit }: DialogProps) {
  const trpc = useTRPC();
  const ips = useQuery(
    trpc.network.listFloatingIps.queryOptions({ ...scope, region: instance.region, limit: 500 }),
  );
  const free = (ips.data?.items ?? []).filter((f) => !f.portId);
  const [mode, setMode] = useState<"new" | "existing">("new");
  const [ipId, setIpId] = useState("");
  // Neutron allows one elastic IP per fixed IP: offer the interfaces without one.
  const open = instance.interfaces.filter((n) => n.floatingIps.length === 0);
  const [portId, setPortId] = useState(open[0]?.portId ?? "");
  const chosen = ipId || free[0]?.providerId || "";
  return (
    <ActionDialog
      title={`Associate an elastic IP with ${instance.name}`}
      description="A public address that stays with the project: reassociate it with another instance at any time."
      submitLabel={mode === "new" ? "Allocate and associate" : "Associate"}
      params={() => {
        if (mode === "existing" && !chosen) return "Choose an address, or allocate a new one";
        return {
          floatingIpId: mode === "existing" ? chosen : undefined,
          portId: portId || undefined,
        } satisfies Params<"associateFloatingIp">;
      }}
      onClose={onClose}
      onSubmit={onSubmit}
    >
      <ModeChoice
        label="Address"
        name="eip-mode"
        value={mode}
        onChange={setMode}
        options={[
          ["new", "Allocate a new address"],
          ["existing", `An unassociated one (${free.length})`],
        ]}
      />
      {mode === "existing" ? (
        <Field label="Elastic IP">
          <Select
            value={chosen}
            onChange={(e) => setIpId(e.target.value)}
            disabled={free.length === 0}
            placeholder={ips.isPending ? "Loading…" : free.length ? undefined : "No unassociated address"}
            options={free.map((f) => ({ value: f.providerId, label: f.address }))}
          />
        </Field>
      ) : (
        <p className="text-sm text-muted-foreground">Counts against the project&apos;s Elastic IPs quota.</p>
      )}
      {open.length > 1 ? (
        <Field label="Interface">
          <Select
            value={portId}
            onChange={(e) => setPortId(e.target.value)}
            options={open.map((n) => ({
              value: n.portId,
              label: `${n.networkName ?? n.networkId ?? "network"} · ${n.fixedIps.map((f) => f.ip).join(", ")}`,
            }))}
          />
        </Field>
      ) : null}
    </ActionDialog>
  );
}

function DisassociateIpDialog({ instance, onClose, onSubmit }: DialogProps) {
  const associated = instance.interfaces.flatMap((n) => n.floatingIps);
  const [ipId, setIpId] = useState(associated[0]?.id ?? "");
  const [release, setRelease] = useState(true);
  return (
    <ActionDialog
      title={`Disassociate an elastic IP from ${instance.name}`}
      submitLabel={release ? "Disassociate and release" : "Disassociate"}
      tone={release ? "danger" : undefined}
      params={() =>
        ipId
          ? ({ floatingIpId: ipId, release } satisfies Params<"disassociateFloatingIp">)
          : "Choose an address"
      }
      onClose={onClose}
      onSubmit={onSubmit}
    >
      <Field label="Elastic IP">
        <Select
          value={ipId}
          onChange={(e) => setIpId(e.target.value)}
          options={associated.map((f) => ({ value: f.id, label: f.ip }))}
        />
      </Field>
      <Field
        label="Release the address"
        inline
        hint={
          release
            ? "The address goes back to the pool: you may not get it again."
            : "The project keeps the address, unassociated."
        }
      >
        <Checkbox checked={release} onChange={(e) => setRelease(e.target.checked)} />
      </Field>
    </ActionDialog>
  );
}

/** Two ways to do an action (an existing thing or a new one), as a row of radio buttons. */
function ModeChoice<M extends string>({
  label,
  name,
  value,
  onChange,
  options,
}: {
  label: string;
  name: string;
  value: M;
  onChange: (m: M) => void;
  options: [M, string][];
}) {
  return (
    <div role="radiogroup" aria-label={label} className="flex gap-4 text-sm">
      {options.map(([id, text]) => (
        <label key={id} className="flex items-center gap-2">
          <input
            type="radio"
            name={name}
            className="accent-primary"
            checked={value === id}
            onChange={() => onChange(id)}
          />
          {text}
        </label>
      ))}
    </div>
  );
}
