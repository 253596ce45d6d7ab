"use client";
// A project's instances: table and cards with search, filters (status, zone, flavor, image,
// label), sort, export, lifecycle actions per row and in bulk, updated live from the inventory.
import { useQuery } from "@tanstack/react-query";
import { Plus, Tags } from "lucide-react";
import Link from "next/link";
import { useMemo, useState } from "react";
import { LiveStatus } from "@/components/audit/live-status";
import { ResourceTable, usePermissions } from "@/components/resources";
import { useTRPC, useTRPCClient } from "@/components/trpc";
import { buttonClasses, PageHeader } from "@/components/ui";
import { instanceKind } from "./instance-kind";
import { createLabelChangeStore, EditLabelsDialog } from "./labels-dialog";
import type { Instance, Scope } from "./types";
import { useLiveResources } from "./use-live-resources";

export function CreateInstanceLink({ org, project }: Scope) {
  const perms = usePermissions({ org, project });
  if (perms.ready && !perms.can("compute.instance.create")) return null;
  return (
    <Link href={`/${org}/${project}/compute/instances/new`} className={buttonClasses({})}>
      <Plus className="size-4" aria-hidden="true" />
      Create instance
    </Link>
  );
}

/** Filter options from the catalogue (all regions): zones, flavors, images, and the labels in use. */
function useFilterOptions({ org, project }: Scope) {
  const trpc = useTRPC();
  const long = { staleTime: 5 * 60_000 };
  const regions = useQuery({ ...trpc.common.listRegions.queryOptions(), ...long });
  const flavors = useQuery({
    ...trpc.compute.listFlavors.queryOptions({ org, project, limit: 500 }),
    ...long,
  });
  const images = useQuery({ ...trpc.compute.listImages.queryOptions({ org, project, limit: 500 }), ...long });
  // The labels in use, for the label filter (no facet endpoint yet: the first 500 instances).
  const facets = useQuery({
    ...trpc.compute.listInstances.queryOptions({ org, project, limit: 500 }),
    staleTime: 60_000,
  });
  return useMemo(() => {
    const multiRegion = (regions.data?.items.length ?? 0) > 1;
    const suffix = (region: string) => (multiRegion ? ` (${region})` : "");
    const uniq = (items: { value: string; label: string }[]) =>
      [...new Map(items.map((o) => [o.value, o])).values()].sort((a, b) => a.label.localeCompare(b.label));
    const labels = new Set<string>();
    facets.data?.items.forEach((i) => Object.entries(i.labels).forEach(([k, v]) => labels.add(`${k}=${v}`)));
    return {
      zones: uniq(
        (regions.data?.items ?? []).flatMap((r) =>
          r.availabilityZones.map((z) => ({ value: z, label: `${z}${suffix(r.name)}` })),
        ),
      ),
      flavors: uniq(
        (flavors.data?.items ?? []).map((f) => ({
          value: f.providerId,
          label: `${f.name}${suffix(f.region)}`,
        })),
      ),
      images: uniq(
        (images.data?.items ?? []).map((i) => ({
          value: i.providerId,
          label: `${i.name}${suffix(i.region)}`,
        })),
      ),
      labels: [...labels].sort().map((l) => ({ value: l, label: l })),
    };
  }, [regions.data, flavors.data, images.data, facets.data]);
}

export function InstancesView({ org, project }: Scope) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const perms = usePermissions({ org, project });
  const live = useLiveResources({ org, project, kinds: ["instance"] });
  const options = useFilterOptions({ org, project });
  const [labelChange] = useState(createLabelChangeStore);
  const kind = useMemo(() => instanceKind({ ...options, labelChange }), [options, labelChange]);
  const [editing, setEditing] = useState<Instance | null>(null);
  const scope = useMemo(() => ({ org, project }), [org, project]);

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Instances"
        description="Virtual machines of this project. Actions run as jobs; the list follows them live."
        breadcrumbs={[
          { label: project, href: `/${org}/${project}` },
          { label: "Compute" },
          { label: "Instances" },
        ]}
        actions={
          <div className="flex items-center gap-3">
            <LiveStatus state={live.status} error={live.error} onRetry={live.retry} />
            <CreateInstanceLink org={org} project={project} />
          </div>
        }
      />
      <ResourceTable
        kind={kind}
        scope={scope}
        queryKey={trpc.compute.listInstances.pathKey()}
        fetchPage={({ q, filters, sort, cursor, limit }) =>
          client.compute.listInstances.query({
            org,
            project,
            q,
            status: filters.status?.length ? filters.status : undefined,
            availabilityZone: filters.az?.[0],
            flavor: filters.flavor?.[0],
            image: filters.image?.[0],
            label: filters.label?.length ? filters.label : undefined,
            sort:
              sort && ["createdAt", "name", "status"].includes(sort.id)
                ? (sort.id as "createdAt" | "name" | "status")
                : undefined,
            order: sort ? (sort.desc ? "desc" : "asc") : undefined,
            cursor,
            limit,
          })
        }
        rowActions={(i) => [
          {
            label: "Edit labels",
            icon: <Tags />,
            disabled: perms.ready && !perms.can("compute.instance.update"),
            disabledReason: "Requires the permission compute.instance.update",
            onSelect: () => setEditing(i),
          },
        ]}
        emptyAction={<CreateInstanceLink org={org} project={project} />}
        // The live feed refreshes the list; while it is down, poll so transitions still show.
        refetchInterval={live.status === "live" ? undefined : 10_000}
      />
      <EditLabelsDialog
        scope={scope}
        instance={editing}
        open={editing !== null}
        onClose={() => setEditing(null)}
      />
    </div>
  );
}
