"use client";
// Instances as a resource kind: the list's columns, filters and the lifecycle actions offered per
// row and in bulk, each disabled with Nova's reason when the instance's state refuses it.
import { Play, RotateCw, Server, Square, Tags, Trash2 } from "lucide-react";
import { actionRefusal, type InstanceAction } from "@/lib/compute/actions";
import { defineKind, type ActionContext, type ResourceAction } from "@/components/resources";
import { RelativeTime } from "@/components/ui";
import { FlavorCell, InstanceStatus, IpList, LabelList } from "./instance-cells";
import { BulkLabelsForm, mergeLabels, type LabelChangeStore } from "./labels-dialog";
import type { Instance } from "./types";

export const INSTANCE_STATUSES = [
  "ACTIVE",
  "SHUTOFF",
  "BUILD",
  "CREATING",
  "PAUSED",
  "SUSPENDED",
  "REBOOT",
  "RESIZE",
  "VERIFY_RESIZE",
  "ERROR",
  "DELETING",
].map((s) => ({ value: s, label: s.charAt(0) + s.slice(1).toLowerCase().replace(/_/g, " ") }));

type Option = { value: string; label: string };

function scoped(ctx: ActionContext) {
  return { org: ctx.scope.org!, project: ctx.scope.project! };
}

function lifecycle(
  action: "start" | "stop" | "reboot",
  label: string,
  icon: React.ReactNode,
): ResourceAction<Instance> {
  return {
    id: action,
    label,
    icon,
    permission: "compute.instance.action",
    disabled: (i) => actionRefusal(i, action as InstanceAction),
    run: (i, ctx) => ctx.client.compute.instanceAction.mutate({ ...scoped(ctx), id: i.id, action }),
  };
}

export function instanceKind(opts: {
  zones: Option[];
  flavors: Option[];
  images: Option[];
  labels: Option[];
  /** The bulk label change being confirmed (written by the form in the confirmation). */
  labelChange: LabelChangeStore;
}) {
  return defineKind<Instance>({
    id: "compute.instance",
    label: "Instance",
    plural: "Instances",
    icon: <Server />,
    getId: (i) => i.id,
    getName: (i) => i.name,
    href: (i, scope) => `/${scope.org}/${scope.project}/compute/instances/${i.id}`,
    getStatus: (i) => i.status,
    defaultSort: { id: "createdAt", desc: true },
    searchPlaceholder: "Search instances by name",
    empty: {
      title: "No instances yet",
      description:
        "Virtual machines you create in this project show up here, with their state and addresses.",
    },
    columns: [
      { id: "name", header: "Name", sortable: true, hideable: false },
      {
        id: "status",
        header: "Status",
        sortable: true,
        cell: (i) => <InstanceStatus instance={i} detailed />,
        value: (i) => i.status,
      },
      {
        id: "ips",
        header: "IP addresses",
        cell: (i) => <IpList instance={i} />,
        value: (i) => [...i.floatingIps, ...i.privateIps].join(" "),
      },
      {
        id: "flavor",
        header: "Flavor",
        cell: (i) => <FlavorCell flavor={i.flavor} />,
        value: (i) => i.flavor?.name ?? "",
      },
      { id: "image", header: "Image", value: (i) => i.image?.name ?? "" },
      { id: "availabilityZone", header: "Zone", value: (i) => i.availabilityZone ?? "" },
      { id: "region", header: "Region", value: (i) => i.region },
      {
        id: "labels",
        header: "Labels",
        cell: (i) => <LabelList labels={i.labels} />,
        value: (i) =>
          Object.entries(i.labels)
            .map(([k, v]) => `${k}=${v}`)
            .join(" "),
      },
      {
        id: "createdAt",
        header: "Created",
        sortable: true,
        cell: (i) => <RelativeTime date={i.createdAt} />,
        value: (i) => i.createdAt.toISOString(),
      },
      { id: "keyName", header: "Key pair", value: (i) => i.keyName ?? "", defaultVisible: false },
      {
        id: "id",
        header: "ID",
        defaultVisible: false,
        cell: (i) => <span className="font-mono text-xs">{i.id}</span>,
      },
      {
        id: "providerId",
        header: "Server ID",
        defaultVisible: false,
        cell: (i) => <span className="font-mono text-xs">{i.providerId ?? "—"}</span>,
        value: (i) => i.providerId ?? "",
      },
    ],
    filters: [
      { id: "status", label: "Status", options: INSTANCE_STATUSES },
      { id: "az", label: "Zone", options: opts.zones, multiple: false },
      { id: "flavor", label: "Flavor", options: opts.flavors, multiple: false },
      { id: "image", label: "Image", options: opts.images, multiple: false },
      { id: "label", label: "Label", options: opts.labels },
    ],
    card: (i) => (
      <div className="flex flex-col gap-2 text-sm">
        <FlavorCell flavor={i.flavor} />
        <span className="text-muted-foreground">
          {i.image?.name ?? "—"} · {i.availabilityZone ?? i.region}
        </span>
        <IpList instance={i} />
        <LabelList labels={i.labels} />
      </div>
    ),
    actions: [
      lifecycle("start", "Start", <Play />),
      lifecycle("stop", "Stop", <Square />),
      lifecycle("reboot", "Reboot", <RotateCw />),
      {
        id: "labels",
        label: "Edit labels",
        icon: <Tags />,
        permission: "compute.instance.update",
        placement: "bulk",
        confirm: {
          title: (rows) =>
            `Change the labels of ${rows.length === 1 ? rows[0]!.name : `${rows.length} instances`}`,
          description: (rows) => <BulkLabelsForm count={rows.length} change={opts.labelChange} />,
          confirmLabel: "Apply",
        },
        run: async (i, ctx) => {
          const change = opts.labelChange.get();
          // Nothing to set or remove: no request (and no audit event) per instance.
          if (Object.keys(change.set).length === 0 && change.remove.length === 0) return;
          await ctx.client.compute.updateInstance.mutate({
            ...scoped(ctx),
            id: i.id,
            labels: mergeLabels(i.labels, change),
          });
        },
      },
      {
        id: "delete",
        label: "Delete",
        icon: <Trash2 />,
        tone: "danger",
        permission: "compute.instance.delete",
        disabled: (i) => actionRefusal(i, "delete"),
        confirm: {
          title: (rows) =>
            rows.length === 1 ? `Delete instance ${rows[0]!.name}?` : `Delete ${rows.length} instances?`,
          description: () =>
            "The servers are deleted with their local disks and the volumes created with them. Attached volumes that existed before are detached and kept. This cannot be undone.",
          confirmLabel: "Delete",
          typed: true,
        },
        run: (i, ctx) => ctx.client.compute.deleteInstance.mutate({ ...scoped(ctx), id: i.id }),
      },
    ],
  });
}
