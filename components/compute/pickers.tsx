"use client";
// Choosers shared by the wizard and the action dialogs: image cards and a flavor table, each
// option disabled with the reason it does not fit.
import { Disc3, Search } from "lucide-react";
import { useState } from "react";
import { Badge, cn, EmptyState, Input, Skeleton } from "@/components/ui";
import { flavorShape, formatBytes, formatRam, osLabel } from "./format";
import type { Flavor, Image } from "./types";

export function ImagePicker({
  images,
  loading,
  value,
  onChange,
  disabledReason,
}: {
  images: Image[];
  loading: boolean;
  /** Selected image's providerId. */
  value: string | null;
  onChange: (image: Image) => void;
  disabledReason?: (image: Image) => string | null;
}) {
  const [q, setQ] = useState("");
  const shown = images.filter((i) =>
    `${i.name} ${i.osDistro ?? ""} ${i.osVersion ?? ""}`.toLowerCase().includes(q.trim().toLowerCase()),
  );
  if (loading)
    return (
      <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
        {Array.from({ length: 6 }, (_, i) => (
          <Skeleton key={i} className="h-24" />
        ))}
      </div>
    );
  if (images.length === 0)
    return (
      <EmptyState
        compact
        icon={<Disc3 />}
        title="No images in this region"
        description="Upload an image on the Images page, or pick another region."
      />
    );
  return (
    <div className="flex flex-col gap-3">
      <Input
        aria-label="Search images"
        placeholder="Search images"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        leading={<Search className="size-4" />}
        className="max-w-sm"
      />
      <div role="radiogroup" aria-label="Image" className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
        {shown.map((i) => {
          const reason = disabledReason?.(i) ?? null;
          const selected = value === i.providerId;
          return (
            <label
              key={i.id}
              title={reason ?? undefined}
              className={cn(
                "flex gap-3 rounded-lg border border-border bg-surface p-3 text-sm transition-colors",
                selected && "border-primary bg-primary-soft ring-1 ring-primary",
                reason ? "cursor-not-allowed opacity-60" : "cursor-pointer hover:border-border-strong",
              )}
            >
              <input
                type="radio"
                name="image"
                className="sr-only"
                checked={selected}
                disabled={Boolean(reason)}
                onChange={() => onChange(i)}
              />
              <span
                aria-hidden="true"
                className="flex size-9 shrink-0 items-center justify-center rounded-md bg-surface-muted text-muted-foreground"
              >
                <Disc3 className="size-5" />
              </span>
              <span className="flex min-w-0 flex-col gap-1">
                <span className="truncate font-medium">{i.name}</span>
                <span className="text-xs text-muted-foreground">
                  {osLabel(i) ?? "Unknown OS"} · {formatBytes(i.sizeBytes)}
                </span>
                <span className="flex flex-wrap gap-1">
                  <Badge>min disk {i.minDiskGb} GB</Badge>
                  {i.minRamMb ? <Badge>min RAM {formatRam(i.minRamMb)}</Badge> : null}
                  {i.owned ? <Badge tone="accent">yours</Badge> : null}
                </span>
                {reason ? <span className="text-xs text-amber-700 dark:text-amber-300">{reason}</span> : null}
              </span>
            </label>
          );
        })}
      </div>
      {shown.length === 0 ? <p className="text-sm text-muted-foreground">No image matches “{q}”.</p> : null}
    </div>
  );
}

export function FlavorPicker({
  flavors,
  loading,
  value,
  onChange,
  disabledReason,
}: {
  flavors: Flavor[];
  loading: boolean;
  /** Selected flavor's providerId. */
  value: string | null;
  onChange: (flavor: Flavor) => void;
  disabledReason?: (flavor: Flavor) => string | null;
}) {
  if (loading) return <Skeleton className="h-64" />;
  if (flavors.length === 0)
    return (
      <EmptyState
        compact
        title="No flavors in this region"
        description="Ask your platform operator for one."
      />
    );
  const sorted = [...flavors].sort(
    (a, b) => a.vcpus - b.vcpus || a.ramMb - b.ramMb || a.name.localeCompare(b.name),
  );
  return (
    <div className="overflow-x-auto rounded-lg border border-border">
      <table className="w-full text-sm" role="radiogroup" aria-label="Flavor">
        <thead className="bg-surface-muted/60 text-xs text-muted-foreground">
          <tr className="border-b border-border">
            <th scope="col" className="h-9 w-10 px-3">
              <span className="sr-only">Choose</span>
            </th>
            <th scope="col" className="px-3 text-left font-medium">
              Flavor
            </th>
            <th scope="col" className="px-3 text-right font-medium">
              vCPUs
            </th>
            <th scope="col" className="px-3 text-right font-medium">
              RAM
            </th>
            <th scope="col" className="px-3 text-right font-medium">
              Disk
            </th>
            <th scope="col" className="px-3 text-left font-medium">
              <span className="sr-only">Availability</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((f) => {
            const reason = disabledReason?.(f) ?? null;
            const selected = value === f.providerId;
            const id = `flavor-${f.id}`;
            return (
              <tr
                key={f.id}
                className={cn(
                  "h-11 border-b border-border last:border-0",
                  selected && "bg-primary-soft",
                  reason ? "text-muted-foreground" : "cursor-pointer hover:bg-surface-muted/60",
                )}
                onClick={() => {
                  if (!reason) onChange(f);
                }}
              >
                <td className="px-3">
                  <input
                    id={id}
                    type="radio"
                    name="flavor"
                    className="accent-primary"
                    checked={selected}
                    disabled={Boolean(reason)}
                    onChange={() => onChange(f)}
                  />
                </td>
                <td className="px-3">
                  <label htmlFor={id} className={reason ? "cursor-not-allowed" : "cursor-pointer"}>
                    <span className="font-medium">{f.name}</span>
                    {f.description ? (
                      <span className="ml-2 text-xs text-muted-foreground">{f.description}</span>
                    ) : null}
                  </label>
                </td>
                <td className="px-3 text-right tabular-nums">{f.vcpus}</td>
                <td className="px-3 text-right tabular-nums">{formatRam(f.ramMb)}</td>
                <td className="px-3 text-right tabular-nums">{f.diskGb ? `${f.diskGb} GB` : "—"}</td>
                <td className="px-3 text-xs">
                  {reason ? (
                    <span className="text-amber-700 dark:text-amber-300" data-testid="flavor-refusal">
                      {reason}
                    </span>
                  ) : (
                    <span className="sr-only">{flavorShape(f)}</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
