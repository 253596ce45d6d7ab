"use client";
// Choose a role to assign: search over system and custom roles, grouped, each with its scopes and
// size; roles the caller cannot assign at the chosen scope are shown disabled with the reason.
import { Search, ShieldCheck, Sparkles } from "lucide-react";
import { useMemo, useState } from "react";
import type { RouterOutputs } from "@/components/trpc";
import { Badge, cn, EmptyState, Input } from "@/components/ui";
import { assignBlocker } from "./use-my-access";

export type RoleRow = RouterOutputs["iam"]["listRoles"]["items"][number];

export function RolePicker({
  roles,
  scope,
  held,
  value,
  onChange,
  name = "role",
}: {
  roles: RoleRow[];
  scope: "org" | "project";
  held: ReadonlySet<string>;
  value: string | null;
  onChange: (roleId: string) => void;
  name?: string;
}) {
  const [q, setQ] = useState("");
  const shown = useMemo(() => {
    const f = q.trim().toLowerCase();
    return roles.filter(
      (r) =>
        !f ||
        r.name.toLowerCase().includes(f) ||
        r.key.includes(f) ||
        r.description.toLowerCase().includes(f),
    );
  }, [roles, q]);
  const groups = [
    {
      id: "system",
      label: "System roles",
      icon: <ShieldCheck className="size-3.5" />,
      rows: shown.filter((r) => r.isSystem),
    },
    {
      id: "custom",
      label: "Custom roles",
      icon: <Sparkles className="size-3.5" />,
      rows: shown.filter((r) => !r.isSystem),
    },
  ];
  return (
    <div className="flex flex-col gap-2">
      <Input
        leading={<Search />}
        value={q}
        onChange={(e) => setQ(e.target.value)}
        placeholder="Search system and custom roles"
        aria-label="Search roles"
      />
      <div
        role="radiogroup"
        aria-label="Role"
        className="max-h-80 overflow-y-auto rounded-md border border-border bg-surface"
      >
        {shown.length === 0 ? (
          <EmptyState compact title="No role matches" description="Try another word, or clear the search." />
        ) : (
          groups
            .filter((g) => g.rows.length > 0)
            .map((g) => (
              <div key={g.id}>
                <div className="sticky top-0 z-10 flex items-center gap-1.5 border-b border-border bg-surface-muted px-3 py-1.5 text-xs font-medium tracking-wide text-muted-foreground uppercase">
                  {g.icon}
                  {g.label}
                </div>
                <ul>
                  {g.rows.map((r) => {
                    const blocker = assignBlocker(r, scope, held);
                    const checked = value === r.id;
                    return (
                      <li key={r.id} className="border-b border-border last:border-b-0">
                        <label
                          className={cn(
                            "flex cursor-pointer items-start gap-3 px-3 py-2.5",
                            checked && "bg-primary-soft",
                            blocker ? "cursor-not-allowed opacity-60" : "hover:bg-surface-muted",
                          )}
                          title={blocker ?? undefined}
                        >
                          <input
                            type="radio"
                            name={name}
                            className="mt-1 accent-primary"
                            checked={checked}
                            disabled={Boolean(blocker)}
                            onChange={() => onChange(r.id)}
                            data-testid={`role-option-${r.key}`}
                          />
                          <span className="flex min-w-0 flex-1 flex-col gap-0.5">
                            <span className="flex flex-wrap items-center gap-2">
                              <span className="font-medium">{r.name}</span>
                              <span className="font-mono text-xs text-muted-foreground">{r.key}</span>
                              {r.scopes.map((s) => (
                                <Badge key={s} tone={s === "org" ? "accent" : "info"}>
                                  {s === "org" ? "Organisation" : "Project"}
                                </Badge>
                              ))}
                              <span className="text-xs text-muted-foreground">
                                {r.permissions.length} permissions
                              </span>
                            </span>
                            {r.description ? (
                              <span className="line-clamp-2 text-sm text-muted-foreground">
                                {r.description}
                              </span>
                            ) : null}
                            {blocker ? (
                              <span className="text-xs text-amber-700 dark:text-amber-400">{blocker}</span>
                            ) : null}
                          </span>
                        </label>
                      </li>
                    );
                  })}
                </ul>
              </div>
            ))
        )}
      </div>
    </div>
  );
}
