"use client";
// The region selector of the top bar: the cloud's regions (with their zones), the choice kept
// server-side in the user's preferences so it follows them across browsers.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Globe } from "lucide-react";
import { useTRPC } from "@/components/trpc";
import { DropdownMenu, Skeleton, toast } from "@/components/ui";

export function RegionSelector() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const regions = useQuery({ ...trpc.common.listRegions.queryOptions(), staleTime: 5 * 60_000 });
  const prefs = useQuery({ ...trpc.prefs.getPreferences.queryOptions(), staleTime: 5 * 60_000 });
  const save = useMutation(
    trpc.prefs.updatePreferences.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.prefs.getPreferences.queryKey() }),
      onError: (e) => toast.error("Could not change the region", e),
    }),
  );
  if (regions.isPending) return <Skeleton className="hidden h-9 w-36 md:block" />;
  const items = regions.data?.items ?? [];
  if (items.length === 0) return null;
  const current = items.find((r) => r.name === prefs.data?.defaultRegion) ?? items[0]!;
  return (
    <DropdownMenu
      aria-label={`Region: ${current.name}`}
      align="end"
      triggerVariant="ghost"
      trigger={
        <span className="flex items-center gap-1.5 text-sm" data-testid="region-selector">
          <Globe className="size-4 text-muted-foreground" aria-hidden="true" />
          <span className="hidden md:inline">{current.name}</span>
        </span>
      }
      header={<span className="text-xs text-muted-foreground">Region for new resources and lists</span>}
      items={items.map((r) => ({
        label: `${r.name}${r.name === current.name ? " ✓" : ""}`,
        disabled: r.status !== "ok",
        disabledReason: r.status !== "ok" ? "The region is not answering" : undefined,
        shortcut: r.status === "ok" ? `${r.availabilityZones.length} zones` : "down",
        onSelect: () => save.mutate({ defaultRegion: r.name }),
      }))}
    />
  );
}
