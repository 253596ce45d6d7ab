"use client";
// Saved views of a list: a name for the current URL query (search, filters, sort, columns,
// view), kept server-side per user and kind, so they follow the user across browsers.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Bookmark, Check, Trash2 } from "lucide-react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/components/trpc";
import { Button, Field, Input, Popover, Skeleton, errorInfo, toast } from "@/components/ui";
import { parseTableState, viewQuery, writeTableState, type UrlStateOptions } from "./url-state";

export function SavedViewsMenu({ kind, options }: { kind: string; options: UrlStateOptions }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [name, setName] = useState("");
  const [open, setOpen] = useState(false);
  const views = useQuery({ ...trpc.prefs.listSavedViews.queryOptions({ kind }), enabled: open });
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.prefs.listSavedViews.pathKey() });
  const create = useMutation(
    trpc.prefs.createSavedView.mutationOptions({
      onSuccess: (v) => {
        setName("");
        toast.success(`Saved the view "${v.name}"`);
        void invalidate();
      },
    }),
  );
  const remove = useMutation(
    trpc.prefs.deleteSavedView.mutationOptions({
      onSuccess: () => void invalidate(),
      onError: (e) => toast.error("Could not delete the view", e),
    }),
  );
  const current = viewQuery(new URLSearchParams(params.toString()), options);

  const apply = (query: string) => {
    // Replace this table's keys only: other params of the page (a tab) stay.
    const base = writeTableState(
      new URLSearchParams(params.toString()),
      {
        q: "",
        sort: options.defaultSort ?? null,
        view: options.defaultView ?? "table",
        columns: null,
        filters: {},
        limit: null,
      },
      options,
    );
    const saved = parseTableState(new URLSearchParams(query), options);
    const next = writeTableState(base, saved, options);
    const qs = next.toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    setOpen(false);
  };

  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      triggerVariant="outline"
      align="end"
      aria-label="Saved views"
      trigger={
        <>
          <Bookmark />
          Views
        </>
      }
      panelClassName="w-72 p-2"
    >
      <div className="flex flex-col gap-2">
        <p className="px-1 text-xs font-medium text-muted-foreground">Saved views</p>
        {views.isPending ? (
          <div className="flex flex-col gap-1.5 px-1">
            <Skeleton className="h-7" />
            <Skeleton className="h-7" />
          </div>
        ) : views.isError ? (
          <p className="px-1 text-sm text-danger">{errorInfo(views.error).message}</p>
        ) : views.data.items.length === 0 ? (
          <p className="px-1 text-sm text-muted-foreground">
            No saved views yet. Save the current one below.
          </p>
        ) : (
          <ul className="flex max-h-56 flex-col overflow-y-auto">
            {views.data.items.map((v) => (
              <li key={v.id} className="group flex items-center gap-1">
                <button
                  type="button"
                  className="flex h-8 min-w-0 flex-1 items-center gap-2 rounded-md px-2 text-left text-sm hover:bg-surface-muted"
                  onClick={() => apply(v.query)}
                  title={v.query || "Default view"}
                >
                  <span className="truncate">{v.name}</span>
                  {v.query === current ? (
                    <Check className="size-3.5 shrink-0 text-primary" aria-label="Current" />
                  ) : null}
                </button>
                <Button
                  variant="ghost"
                  size="icon-sm"
                  className="size-7 text-muted-foreground"
                  aria-label={`Delete view ${v.name}`}
                  onClick={() => remove.mutate({ id: v.id })}
                >
                  <Trash2 />
                </Button>
              </li>
            ))}
          </ul>
        )}
        <form
          className="flex flex-col gap-2 border-t border-border px-1 pt-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim()) create.mutate({ kind, name: name.trim(), query: current });
          }}
        >
          <Field
            label="Save current view as"
            error={create.error ? errorInfo(create.error).message : undefined}
          >
            <Input
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="e.g. Failed this week"
              maxLength={64}
            />
          </Field>
          <Button type="submit" size="sm" disabled={!name.trim()} loading={create.isPending}>
            Save view
          </Button>
        </form>
      </div>
    </Popover>
  );
}
