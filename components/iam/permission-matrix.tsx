"use client";
// The permission matrix of the custom role editor: one table per service, a row per resource
// (compute.instance), a column per action, select-all per row and per service. Permissions the
// editor does not hold are locked with the reason (nobody grants what they do not hold).
import { Search } from "lucide-react";
import { useMemo, useState } from "react";
import { Badge, Checkbox, cn, EmptyState, Input, Tooltip } from "@/components/ui";
import {
  buildMatrix,
  groupState,
  lockReason,
  toggleGroup,
  type CatalogueEntry,
  type CellContext,
  type MatrixService,
} from "./matrix";

export function PermissionMatrix({
  catalogue,
  selected,
  onChange,
  context,
}: {
  catalogue: CatalogueEntry[];
  selected: ReadonlySet<string>;
  onChange: (next: Set<string>) => void;
  context: CellContext;
}) {
  const [q, setQ] = useState("");
  const matrix = useMemo(() => buildMatrix(catalogue), [catalogue]);
  const shown = useMemo(() => {
    const f = q.trim().toLowerCase();
    if (!f) return matrix;
    return matrix
      .map((s) => ({
        ...s,
        rows: s.rows.filter(
          (r) =>
            r.resource.includes(f) ||
            s.label.toLowerCase().includes(f) ||
            Object.values(r.cells).some(
              (c) => c && (c.permission.includes(f) || c.description.toLowerCase().includes(f)),
            ),
        ),
      }))
      .filter((s) => s.rows.length > 0);
  }, [matrix, q]);
  const entries = (perms: string[]) =>
    perms.map((p) => catalogue.find((c) => c.permission === p)!).filter(Boolean);

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <Input
          leading={<Search />}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder="Filter permissions (e.g. instance, delete, quota)"
          aria-label="Filter permissions"
          className="max-w-sm"
        />
        <p className="text-sm text-muted-foreground" data-testid="matrix-count">
          <span className="font-medium text-foreground">{selected.size}</span> of{" "}
          {matrix.reduce((n, s) => n + s.permissions.length, 0)} permissions selected
        </p>
      </div>
      {shown.length === 0 ? (
        <EmptyState compact title="No permission matches" description="Try another word." />
      ) : (
        shown.map((s) => (
          <ServiceTable
            key={s.service}
            service={s}
            selected={selected}
            context={context}
            onToggle={(perms, on) => onChange(toggleGroup(selected, entries(perms), on, context))}
          />
        ))
      )}
    </div>
  );
}

function ServiceTable({
  service,
  selected,
  context,
  onToggle,
}: {
  service: MatrixService;
  selected: ReadonlySet<string>;
  context: CellContext;
  onToggle: (permissions: string[], on: boolean) => void;
}) {
  const state = groupState(selected, service.permissions);
  const count = service.permissions.filter((p) => selected.has(p)).length;
  return (
    <section
      className="overflow-hidden rounded-lg border border-border bg-surface"
      aria-label={`${service.label} permissions`}
      data-testid={`matrix-${service.service}`}
    >
      <header className="flex items-center gap-3 border-b border-border bg-surface-muted px-4 py-2.5">
        <Checkbox
          aria-label={`All ${service.label} permissions`}
          checked={state === "all"}
          indeterminate={state === "some"}
          disabled={context.readOnly}
          onChange={() => onToggle(service.permissions, state !== "all")}
        />
        <h3 className="text-sm font-semibold">{service.label}</h3>
        <span className="font-mono text-xs text-muted-foreground">{service.service}.*</span>
        <span className="ml-auto text-xs text-muted-foreground">
          {count} / {service.permissions.length}
        </span>
      </header>
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <thead>
            <tr className="border-b border-border text-xs text-muted-foreground">
              <th scope="col" className="w-56 px-4 py-2 text-left font-medium">
                Resource
              </th>
              {service.actions.map((a) => (
                <th key={a} scope="col" className="px-2 py-2 text-center font-medium">
                  {a}
                </th>
              ))}
              <th scope="col" className="w-16 px-4 py-2 text-center font-medium">
                All
              </th>
            </tr>
          </thead>
          <tbody>
            {service.rows.map((row) => {
              const rowState = groupState(selected, row.permissions);
              return (
                <tr
                  key={row.resource}
                  className="border-b border-border last:border-b-0 hover:bg-surface-muted/60"
                >
                  <th scope="row" className="px-4 py-2 text-left font-normal">
                    <span className="font-medium">{row.label}</span>{" "}
                    <span className="font-mono text-xs text-muted-foreground">{row.resource}</span>
                  </th>
                  {service.actions.map((a) => {
                    const cell = row.cells[a];
                    if (!cell)
                      return (
                        <td
                          key={a}
                          className="px-2 py-2 text-center text-muted-foreground/50"
                          aria-hidden="true"
                        >
                          ·
                        </td>
                      );
                    const on = selected.has(cell.permission);
                    const lock = lockReason(cell, on, context);
                    const box = (
                      <Checkbox
                        aria-label={cell.permission}
                        checked={on}
                        disabled={Boolean(lock)}
                        onChange={() => onToggle([cell.permission], !on)}
                        data-testid={`perm-${cell.permission}`}
                      />
                    );
                    return (
                      <td key={a} className="px-2 py-2 text-center">
                        <Tooltip content={lock ?? cell.description}>
                          <span
                            className={cn(
                              "inline-flex items-center gap-1",
                              lock && !context.readOnly && "cursor-not-allowed",
                            )}
                          >
                            {box}
                            {cell.scope === "org" ? (
                              <Badge
                                tone="accent"
                                className="px-1 py-0 text-[10px]"
                                title="Applies at organisation scope only"
                              >
                                org
                              </Badge>
                            ) : null}
                          </span>
                        </Tooltip>
                      </td>
                    );
                  })}
                  <td className="px-4 py-2 text-center">
                    <Checkbox
                      aria-label={`All ${row.resource} permissions`}
                      checked={rowState === "all"}
                      indeterminate={rowState === "some"}
                      disabled={context.readOnly}
                      onChange={() => onToggle(row.permissions, rowState !== "all")}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
