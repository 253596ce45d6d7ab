"use client";
// The generic list of a resource kind: table and card views, search, filters, sort, column
// chooser (all in the URL), cursor pagination with "Load more", row selection with bulk actions
// that report per item, CSV/JSON export and saved views.
import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type RowSelectionState,
} from "@tanstack/react-table";
import {
  ArrowDown,
  ArrowUp,
  ArrowUpDown,
  Columns3,
  Download,
  Filter,
  LayoutGrid,
  List,
  MoreHorizontal,
  Search,
  SearchX,
  X,
} from "lucide-react";
import Link from "next/link";
import { useEffect, useMemo, useState, type ReactNode } from "react";
import { useTRPC, useTRPCClient } from "@/components/trpc";
import {
  Badge,
  Button,
  Card,
  Checkbox,
  ConfirmDialog,
  DropdownMenu,
  EmptyState,
  ErrorState,
  Input,
  Popover,
  ProgressBar,
  Select,
  Skeleton,
  StatusPill,
  cn,
  toast,
  type MenuEntry,
} from "@/components/ui";
import { BulkResultsDialog, runBulk, type BulkItemResult } from "./bulk-results";
import { downloadText, exportFileName, toCsv, toJson, type CellValue } from "./csv";
import {
  columnValue,
  type ActionContext,
  type KindScope,
  type ResourceAction,
  type ResourceColumn,
  type ResourceKind,
} from "./registry";
import { SavedViewsMenu } from "./saved-views";
import { usePermissions } from "./use-permissions";
import { useTableUrlState } from "./use-table-url-state";
import { isFiltered, PAGE_SIZES, visibleColumns, type SortState } from "./url-state";

export interface ListParams {
  q?: string;
  /** Filter id → selected values. */
  filters: Record<string, string[]>;
  sort?: SortState;
  cursor?: string;
  limit: number;
}

export interface ListPage<Row> {
  items: Row[];
  nextCursor: string | null;
}

export interface ResourceTableProps<Row> {
  kind: ResourceKind<Row>;
  scope: KindScope;
  /** Key prefix of the list query, e.g. trpc.iam.listUsers.pathKey(): mutations that invalidate it refresh the table. */
  queryKey: readonly unknown[];
  /** Loads one page: pass the params on to the list procedure. */
  fetchPage: (params: ListParams) => Promise<ListPage<Row>>;
  /** Search, filter and sort the loaded rows in the browser (for lists the server does not filter). */
  clientSide?: boolean;
  /** Prefix of the URL keys when a page holds more than one table. */
  urlPrefix?: string;
  /** Extra toolbar content (the Create button). */
  toolbar?: ReactNode;
  /** Extra row-menu entries (open a dialog of the page, say). */
  rowActions?: (row: Row) => MenuEntry[];
  /** The action offered by the empty state ("Create the first project"). */
  emptyAction?: ReactNode;
  /** Page size when neither the URL nor the user's preference sets one. */
  pageSize?: number;
  savedViews?: boolean;
  /** Refetch every n ms (lists of things in progress). */
  refetchInterval?: number;
  className?: string;
}

const ROW = "h-12";

export function ResourceTable<Row>(props: ResourceTableProps<Row>) {
  const {
    kind,
    scope,
    queryKey,
    fetchPage,
    clientSide = false,
    urlPrefix,
    toolbar,
    rowActions,
    emptyAction,
    savedViews = true,
    refetchInterval,
    className,
  } = props;
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const perms = usePermissions(scope);
  const filterIds = useMemo(() => (kind.filters ?? []).map((f) => f.id), [kind.filters]);
  const { state, update, options } = useTableUrlState({
    prefix: urlPrefix,
    filterIds,
    defaultSort: kind.defaultSort ?? null,
  });
  const prefs = useQuery({ ...trpc.prefs.getPreferences.queryOptions(), staleTime: 5 * 60_000 });
  const limit = state.limit ?? props.pageSize ?? prefs.data?.tablePageSize ?? 50;

  const params = useMemo(
    () => ({
      q: state.q || undefined,
      filters: state.filters,
      sort: state.sort ?? undefined,
      limit,
    }),
    [state.q, state.filters, state.sort, limit],
  );

  const query = useInfiniteQuery({
    queryKey: [...queryKey, { input: { scope, ...params }, type: "infinite" }],
    queryFn: ({ pageParam }) => fetchPage({ ...params, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval,
  });

  const loaded = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  const rows = useMemo(
    () => (clientSide ? applyClientView(kind, loaded, state.q, state.filters, state.sort) : loaded),
    [clientSide, kind, loaded, state.q, state.filters, state.sort],
  );

  const visible = useMemo(() => visibleColumns(kind.columns, state.columns), [kind.columns, state.columns]);
  const bulkActions = (kind.actions ?? []).filter((a) => (a.placement ?? "both") !== "row");
  const selectable = bulkActions.length > 0;

  const [selection, setSelection] = useState<RowSelectionState>({});
  // A new search or filter is a new set of rows: drop a selection the user can no longer see.
  const selectionKey = JSON.stringify([state.q, state.filters]);
  const [selectionFor, setSelectionFor] = useState(selectionKey);
  if (selectionFor !== selectionKey) {
    setSelectionFor(selectionKey);
    setSelection({});
  }
  const selectedRows = rows.filter((r) => selection[kind.getId(r)]);

  const ctx: ActionContext = { client, queryClient, scope };
  const refresh = () => queryClient.invalidateQueries({ queryKey: [...queryKey] });

  // Single-row action waiting for confirmation, and bulk runs.
  const [pending, setPending] = useState<{ action: ResourceAction<Row>; rows: Row[] } | null>(null);
  const [bulk, setBulk] = useState<{
    action: ResourceAction<Row>;
    rows: Row[];
    results: Record<string, BulkItemResult>;
    done: boolean;
  } | null>(null);

  const start = (action: ResourceAction<Row>, targets: Row[]) => {
    if (action.confirm) setPending({ action, rows: targets });
    else void execute(action, targets);
  };

  const execute = async (action: ResourceAction<Row>, targets: Row[]) => {
    if (targets.length === 1) {
      const row = targets[0]!;
      try {
        await action.run(row, ctx);
        toast.success(`${action.label}: ${kind.getName(row)}`);
      } catch (e) {
        toast.error(`${action.label} failed for ${kind.getName(row)}`, e);
        throw e;
      } finally {
        void refresh();
      }
      return;
    }
    const initial = Object.fromEntries(
      targets.map((r) => [kind.getId(r), { state: "pending" } as BulkItemResult]),
    );
    setBulk({ action, rows: targets, results: initial, done: false });
    await runBulk(
      targets,
      (row) => action.run(row, ctx),
      kind.getId,
      (id, result) => setBulk((b) => (b ? { ...b, results: { ...b.results, [id]: result } } : b)),
    );
    setBulk((b) => (b ? { ...b, done: true } : b));
    setSelection({});
    void refresh();
  };

  const actionState = (action: ResourceAction<Row>, row?: Row): string | null => {
    if (perms.ready && !perms.can(action.permission)) return `Requires the permission ${action.permission}`;
    const reason = row ? action.disabled?.(row) : null;
    return reason || null;
  };

  const menuFor = (row: Row): MenuEntry[] => {
    const entries: MenuEntry[] = (kind.actions ?? [])
      .filter((a) => (a.placement ?? "both") !== "bulk")
      .map((a) => {
        const reason = actionState(a, row);
        return {
          label: a.label,
          icon: a.icon,
          tone: a.tone,
          disabled: Boolean(reason),
          disabledReason: reason ?? undefined,
          onSelect: () => start(a, [row]),
          "data-testid": `action-${a.id}`,
        };
      });
    const extra = rowActions?.(row) ?? [];
    if (extra.length && entries.length) return [...extra, { type: "separator" }, ...entries];
    return [...extra, ...entries];
  };
  const hasRowMenu =
    (kind.actions ?? []).some((a) => (a.placement ?? "both") !== "bulk") || Boolean(rowActions);

  const columns = useMemo<ColumnDef<Row>[]>(() => {
    const defs: ColumnDef<Row>[] = [];
    if (selectable)
      defs.push({
        id: "_select",
        header: ({ table }) => (
          <Checkbox
            aria-label="Select all loaded rows"
            checked={table.getIsAllRowsSelected()}
            indeterminate={table.getIsSomeRowsSelected()}
            onChange={table.getToggleAllRowsSelectedHandler()}
          />
        ),
        cell: ({ row }) => (
          <Checkbox
            aria-label={`Select ${kind.getName(row.original)}`}
            checked={row.getIsSelected()}
            onChange={row.getToggleSelectedHandler()}
          />
        ),
      });
    kind.columns.forEach((c, i) =>
      defs.push({
        id: c.id,
        header: c.header,
        accessorFn: (row) => columnValue(c, row),
        cell: ({ row }) => renderCell(kind, c, row.original, scope, i === 0),
      }),
    );
    if (hasRowMenu)
      defs.push({
        id: "_actions",
        header: () => <span className="sr-only">Actions</span>,
        cell: ({ row }) => (
          <DropdownMenu
            trigger={<MoreHorizontal />}
            triggerSize="icon-sm"
            aria-label={`Actions for ${kind.getName(row.original)}`}
            align="end"
            items={menuFor(row.original)}
          />
        ),
      });
    return defs;
    // menuFor reads permissions and handlers that change with them; rebuilding per render is cheap.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [kind, scope, selectable, hasRowMenu, perms]);

  const columnVisibility = useMemo(
    () => Object.fromEntries(kind.columns.map((c) => [c.id, visible.includes(c.id)])),
    [kind.columns, visible],
  );

  const table = useReactTable({
    data: rows,
    columns,
    getRowId: (row) => kind.getId(row),
    state: { rowSelection: selection, columnVisibility },
    onRowSelectionChange: setSelection,
    enableRowSelection: selectable,
    manualSorting: true,
    manualFiltering: true,
    getCoreRowModel: getCoreRowModel(),
  });

  const exportRows = async (format: "csv" | "json", all: boolean) => {
    let data = rows;
    if (all && query.hasNextPage) {
      const cap = 10_000;
      const out = [...loaded];
      let cursor = query.data?.pages.at(-1)?.nextCursor ?? null;
      try {
        while (cursor && out.length < cap) {
          const page = await fetchPage({ ...params, limit: 500, cursor });
          out.push(...page.items);
          cursor = page.nextCursor;
        }
      } catch (e) {
        toast.error("Export failed", e);
        return;
      }
      if (cursor) toast({ title: `Exported the first ${cap.toLocaleString("en")} rows`, tone: "warning" });
      data = clientSide ? applyClientView(kind, out, state.q, state.filters, state.sort) : out;
    }
    const cols = kind.columns.filter((c) => visible.includes(c.id) && c.exportable !== false);
    const matrix: CellValue[][] = data.map((r) => cols.map((c) => columnValue(c, r)));
    const name = exportFileName(kind.plural.toLowerCase(), format);
    if (format === "csv")
      downloadText(
        name,
        toCsv(
          cols.map((c) => c.header),
          matrix,
        ),
        "text/csv",
      );
    else
      downloadText(
        name,
        toJson(
          cols.map((c) => c.id),
          matrix,
        ),
        "application/json",
      );
  };

  const filtered = isFiltered(state);
  const showEmpty = query.isSuccess && rows.length === 0;

  return (
    <div className={cn("flex flex-col gap-3", className)} data-testid={`resource-table-${kind.id}`}>
      <Toolbar
        kind={kind}
        q={state.q}
        onSearch={(q) => update({ q })}
        filters={state.filters}
        onFilters={(filters) => update({ filters })}
        view={state.view}
        onView={(view) => update({ view })}
        visible={visible}
        onColumns={(cols) => update({ columns: cols })}
        onExport={(f, all) => void exportRows(f, all)}
        canExportAll={Boolean(query.hasNextPage)}
        exportDisabled={rows.length === 0}
        savedViews={savedViews ? <SavedViewsMenu kind={kind.id} options={options} /> : null}
        extra={toolbar}
      />

      {selectedRows.length > 0 ? (
        <div
          className="flex flex-wrap items-center gap-2 rounded-lg border border-primary/30 bg-primary-soft px-3 py-2"
          role="region"
          aria-label="Bulk actions"
        >
          <span className="text-sm font-medium">{selectedRows.length} selected</span>
          <Button variant="ghost" size="sm" onClick={() => setSelection({})}>
            Clear
          </Button>
          <div className="ml-auto flex flex-wrap gap-2">
            {bulkActions.map((a) => {
              const reason = actionState(a);
              const eligible = selectedRows.filter((r) => !a.disabled?.(r));
              return (
                <Button
                  key={a.id}
                  size="sm"
                  variant={a.tone === "danger" ? "danger" : "outline"}
                  icon={a.icon}
                  disabled={Boolean(reason) || eligible.length === 0}
                  title={
                    reason ?? (eligible.length === 0 ? "Not available for the selected rows" : undefined)
                  }
                  onClick={() => start(a, eligible)}
                  data-testid={`bulk-${a.id}`}
                >
                  {a.label}
                  {eligible.length !== selectedRows.length ? ` (${eligible.length})` : ""}
                </Button>
              );
            })}
          </div>
        </div>
      ) : null}

      <div className="relative">
        {query.isFetching && !query.isPending && !query.isFetchingNextPage ? (
          <ProgressBar
            indeterminate
            value={0}
            label="Refreshing"
            className="absolute inset-x-0 top-0 z-10 h-0.5 rounded-none bg-transparent"
          />
        ) : null}

        {query.isError ? (
          <Card>
            <ErrorState
              error={query.error}
              title={`Could not load ${kind.plural.toLowerCase()}`}
              onRetry={() => void query.refetch()}
              retrying={query.isRefetching}
            />
          </Card>
        ) : showEmpty ? (
          <Card>
            {filtered ? (
              <EmptyState
                icon={<SearchX />}
                title={`No ${kind.plural.toLowerCase()} match`}
                description="Change the search or filters to see more."
                action={
                  <Button variant="outline" size="sm" onClick={() => update({ q: "", filters: {} })}>
                    Clear search and filters
                  </Button>
                }
              />
            ) : (
              <EmptyState
                icon={kind.icon}
                title={kind.empty?.title ?? `No ${kind.plural.toLowerCase()} yet`}
                description={kind.empty?.description}
                action={emptyAction}
              />
            )}
          </Card>
        ) : state.view === "cards" ? (
          <CardGrid
            kind={kind}
            rows={rows}
            loading={query.isPending}
            scope={scope}
            selectable={selectable}
            selection={selection}
            onToggle={(id) => setSelection((s) => ({ ...s, [id]: !s[id] }))}
            menuFor={hasRowMenu ? menuFor : undefined}
            visible={visible}
          />
        ) : (
          <div className="overflow-x-auto rounded-lg border border-border bg-surface shadow-xs">
            <table className="w-full border-collapse text-sm">
              <thead className="bg-surface-muted/60">
                {table.getHeaderGroups().map((group) => (
                  <tr key={group.id} className="border-b border-border">
                    {group.headers.map((header) => {
                      const col = kind.columns.find((c) => c.id === header.column.id);
                      const sorted =
                        state.sort?.id === header.column.id ? (state.sort.desc ? "desc" : "asc") : null;
                      return (
                        <th
                          key={header.id}
                          scope="col"
                          aria-sort={
                            sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined
                          }
                          className={cn(
                            "h-10 px-3 text-left text-xs font-medium whitespace-nowrap text-muted-foreground",
                            header.column.id === "_select" && "w-10 pr-0",
                            header.column.id === "_actions" && "w-12",
                            col?.align === "right" && "text-right",
                            col?.width,
                          )}
                        >
                          {col?.sortable ? (
                            <button
                              type="button"
                              className="-mx-1 inline-flex items-center gap-1 rounded px-1 py-0.5 hover:text-foreground"
                              onClick={() => update({ sort: nextSort(state.sort, col.id) })}
                            >
                              {col.header}
                              {sorted === "asc" ? (
                                <ArrowUp className="size-3.5" aria-hidden="true" />
                              ) : sorted === "desc" ? (
                                <ArrowDown className="size-3.5" aria-hidden="true" />
                              ) : (
                                <ArrowUpDown className="size-3.5 opacity-40" aria-hidden="true" />
                              )}
                            </button>
                          ) : header.isPlaceholder ? null : (
                            flexRender(header.column.columnDef.header, header.getContext())
                          )}
                        </th>
                      );
                    })}
                  </tr>
                ))}
              </thead>
              <tbody>
                {query.isPending
                  ? Array.from({ length: Math.min(limit, 8) }, (_, i) => (
                      <tr key={i} className={cn(ROW, "border-b border-border last:border-0")}>
                        {table.getVisibleLeafColumns().map((c) => (
                          <td key={c.id} className="px-3">
                            {c.id === "_select" ? (
                              <Skeleton className="size-4" />
                            ) : c.id === "_actions" ? (
                              <Skeleton className="size-6" />
                            ) : (
                              <Skeleton className={cn("h-4", i % 2 ? "w-3/5" : "w-4/5")} />
                            )}
                          </td>
                        ))}
                      </tr>
                    ))
                  : table.getRowModel().rows.map((row) => (
                      <tr
                        key={row.id}
                        data-state={row.getIsSelected() ? "selected" : undefined}
                        className={cn(
                          ROW,
                          "border-b border-border transition-colors last:border-0 hover:bg-surface-muted/50 data-[state=selected]:bg-primary-soft/60",
                        )}
                      >
                        {row.getVisibleCells().map((cell) => {
                          const col = kind.columns.find((c) => c.id === cell.column.id);
                          return (
                            <td
                              key={cell.id}
                              className={cn(
                                "max-w-80 truncate px-3",
                                cell.column.id === "_select" && "w-10 pr-0",
                                cell.column.id === "_actions" && "w-12 px-1 text-right",
                                col?.align === "right" && "text-right tabular-nums",
                              )}
                            >
                              {flexRender(cell.column.columnDef.cell, cell.getContext())}
                            </td>
                          );
                        })}
                      </tr>
                    ))}
              </tbody>
            </table>
          </div>
        )}
      </div>

      {query.isSuccess && rows.length > 0 ? (
        <div className="flex flex-wrap items-center justify-between gap-3 text-sm text-muted-foreground">
          <span aria-live="polite">
            {rows.length.toLocaleString("en")}{" "}
            {rows.length === 1 ? kind.label.toLowerCase() : kind.plural.toLowerCase()}
            {query.hasNextPage ? " loaded, more available" : ""}
          </span>
          <div className="flex items-center gap-3">
            {query.hasNextPage ? (
              <Button
                variant="outline"
                size="sm"
                onClick={() => void query.fetchNextPage()}
                loading={query.isFetchingNextPage}
              >
                Load more
              </Button>
            ) : null}
            <label className="flex items-center gap-2">
              <span className="whitespace-nowrap">Per page</span>
              <Select
                className="w-20"
                value={String(limit)}
                onChange={(e) => update({ limit: Number(e.target.value) })}
                options={PAGE_SIZES.map((n) => ({ value: String(n), label: String(n) }))}
              />
            </label>
          </div>
        </div>
      ) : null}

      {pending ? (
        <ConfirmDialog
          open
          onClose={() => setPending(null)}
          title={pending.action.confirm?.title(pending.rows) ?? pending.action.label}
          description={pending.action.confirm?.description?.(pending.rows)}
          confirmLabel={pending.action.confirm?.confirmLabel ?? pending.action.label}
          tone={pending.action.tone === "danger" ? "danger" : "default"}
          typedConfirmation={
            pending.action.confirm?.typed
              ? pending.rows.length === 1
                ? kind.getName(pending.rows[0]!)
                : `${pending.rows.length} ${kind.plural.toLowerCase()}`
              : undefined
          }
          onConfirm={() => {
            const { action, rows: targets } = pending;
            if (targets.length > 1) {
              setPending(null);
              void execute(action, targets);
              return;
            }
            return execute(action, targets);
          }}
        >
          {pending.rows.length > 1 ? (
            <ul className="max-h-40 overflow-y-auto rounded-md border border-border text-sm">
              {pending.rows.map((r) => (
                <li key={kind.getId(r)} className="truncate border-b border-border px-3 py-1.5 last:border-0">
                  {kind.getName(r)}
                </li>
              ))}
            </ul>
          ) : null}
        </ConfirmDialog>
      ) : null}

      {bulk ? (
        <BulkResultsDialog
          title={`${bulk.action.label}: ${bulk.rows.length} ${kind.plural.toLowerCase()}`}
          items={bulk.rows.map((r) => ({ id: kind.getId(r), name: kind.getName(r) }))}
          results={bulk.results}
          done={bulk.done}
          onClose={() => setBulk(null)}
        />
      ) : null}
    </div>
  );
}

function nextSort(current: SortState | null, id: string): SortState | null {
  if (current?.id !== id) return { id, desc: false };
  if (!current.desc) return { id, desc: true };
  return null;
}

function renderCell<Row>(
  kind: ResourceKind<Row>,
  column: ResourceColumn<Row>,
  row: Row,
  scope: KindScope,
  first: boolean,
): ReactNode {
  if (column.cell) return column.cell(row);
  const v = columnValue(column, row);
  const text =
    v === null || v === undefined || v === ""
      ? null
      : v instanceof Date
        ? v.toLocaleString("en-GB")
        : String(v);
  if (first) {
    const href = kind.href?.(row, scope);
    if (href)
      return (
        <Link href={href} className="font-medium text-foreground hover:text-primary hover:underline">
          {text ?? kind.getName(row)}
        </Link>
      );
    return <span className="font-medium">{text ?? kind.getName(row)}</span>;
  }
  return text ?? <span className="text-muted-foreground">—</span>;
}

/** Search, filter and sort loaded rows in the browser. */
export function applyClientView<Row>(
  kind: ResourceKind<Row>,
  rows: Row[],
  q: string,
  filters: Record<string, string[]>,
  sort: SortState | null,
): Row[] {
  const needle = q.trim().toLowerCase();
  let out = rows;
  if (needle)
    out = out.filter(
      (r) =>
        kind.getName(r).toLowerCase().includes(needle) ||
        kind.columns.some((c) =>
          String(columnValue(c, r) ?? "")
            .toLowerCase()
            .includes(needle),
        ),
    );
  for (const f of kind.filters ?? []) {
    const values = filters[f.id];
    if (!values?.length) continue;
    const col = kind.columns.find((c) => c.id === f.id);
    out = out.filter((r) =>
      f.match ? f.match(r, values) : col ? values.includes(String(columnValue(col, r) ?? "")) : true,
    );
  }
  if (sort) {
    const col = kind.columns.find((c) => c.id === sort.id);
    if (col) {
      const dir = sort.desc ? -1 : 1;
      out = [...out].sort((a, b) => dir * compareCells(columnValue(col, a), columnValue(col, b)));
    }
  }
  return out;
}

function compareCells(a: CellValue, b: CellValue): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b), "en", { numeric: true, sensitivity: "base" });
}

function Toolbar<Row>({
  kind,
  q,
  onSearch,
  filters,
  onFilters,
  view,
  onView,
  visible,
  onColumns,
  onExport,
  canExportAll,
  exportDisabled,
  savedViews,
  extra,
}: {
  kind: ResourceKind<Row>;
  q: string;
  onSearch: (q: string) => void;
  filters: Record<string, string[]>;
  onFilters: (f: Record<string, string[]>) => void;
  view: "table" | "cards";
  onView: (v: "table" | "cards") => void;
  visible: string[];
  onColumns: (cols: string[] | null) => void;
  onExport: (format: "csv" | "json", all: boolean) => void;
  canExportAll: boolean;
  exportDisabled: boolean;
  savedViews: ReactNode;
  extra?: ReactNode;
}) {
  const [text, setText] = useState(q);
  const [shownQ, setShownQ] = useState(q);
  // Follow the URL when it changes from elsewhere (back button, saved view).
  if (q !== shownQ) {
    setShownQ(q);
    setText(q);
  }
  useEffect(() => {
    if (text === q) return;
    const t = setTimeout(() => onSearch(text), 300);
    return () => clearTimeout(t);
  }, [text, q, onSearch]);

  const active = Object.entries(filters).flatMap(([id, values]) => values.map((v) => ({ id, value: v })));

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <div className="w-full sm:w-72">
          <Input
            type="search"
            aria-label={`Search ${kind.plural.toLowerCase()}`}
            placeholder={kind.searchPlaceholder ?? `Search ${kind.plural.toLowerCase()}`}
            leading={<Search />}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") onSearch(text);
            }}
          />
        </div>
        {(kind.filters ?? []).map((f) => {
          const selected = filters[f.id] ?? [];
          return (
            <Popover
              key={f.id}
              triggerVariant="outline"
              triggerSize="md"
              aria-label={`Filter by ${f.label}`}
              trigger={
                <>
                  <Filter className="text-muted-foreground" />
                  {f.label}
                  {selected.length ? (
                    <Badge tone="accent" className="ml-0.5">
                      {selected.length}
                    </Badge>
                  ) : null}
                </>
              }
              panelClassName="w-56 p-1.5"
            >
              <fieldset>
                <legend className="px-2 pt-1 pb-1.5 text-xs font-medium text-muted-foreground">
                  {f.label}
                </legend>
                {f.options.map((o) => {
                  const on = selected.includes(o.value);
                  return (
                    <label
                      key={o.value}
                      className="flex h-8 cursor-pointer items-center gap-2.5 rounded-md px-2 text-sm hover:bg-surface-muted"
                    >
                      <Checkbox
                        checked={on}
                        onChange={() => {
                          const next =
                            f.multiple === false
                              ? on
                                ? []
                                : [o.value]
                              : on
                                ? selected.filter((v) => v !== o.value)
                                : [...selected, o.value];
                          onFilters({ ...filters, [f.id]: next });
                        }}
                      />
                      <span className="truncate">{o.label}</span>
                    </label>
                  );
                })}
              </fieldset>
            </Popover>
          );
        })}
        <div className="ml-auto flex flex-wrap items-center gap-2">
          {savedViews}
          <div
            className="inline-flex rounded-md border border-border-strong bg-surface p-0.5"
            role="group"
            aria-label="View"
          >
            <Button
              variant={view === "table" ? "secondary" : "ghost"}
              size="icon-sm"
              className="size-7"
              aria-pressed={view === "table"}
              aria-label="Table view"
              title="Table view"
              onClick={() => onView("table")}
            >
              <List />
            </Button>
            <Button
              variant={view === "cards" ? "secondary" : "ghost"}
              size="icon-sm"
              className="size-7"
              aria-pressed={view === "cards"}
              aria-label="Card view"
              title="Card view"
              onClick={() => onView("cards")}
            >
              <LayoutGrid />
            </Button>
          </div>
          <Popover
            triggerVariant="outline"
            triggerSize="icon"
            aria-label="Choose columns"
            title="Columns"
            trigger={<Columns3 />}
            align="end"
            panelClassName="w-60 p-1.5"
          >
            <fieldset>
              <legend className="px-2 pt-1 pb-1.5 text-xs font-medium text-muted-foreground">Columns</legend>
              {kind.columns.map((c) => (
                <label
                  key={c.id}
                  className={cn(
                    "flex h-8 items-center gap-2.5 rounded-md px-2 text-sm",
                    c.hideable === false ? "opacity-60" : "cursor-pointer hover:bg-surface-muted",
                  )}
                >
                  <Checkbox
                    checked={visible.includes(c.id)}
                    disabled={c.hideable === false}
                    onChange={() =>
                      onColumns(
                        visible.includes(c.id) ? visible.filter((v) => v !== c.id) : [...visible, c.id],
                      )
                    }
                  />
                  {c.header}
                </label>
              ))}
              <div className="mt-1 border-t border-border pt-1">
                <Button
                  variant="ghost"
                  size="sm"
                  className="w-full justify-start"
                  onClick={() => onColumns(null)}
                >
                  Reset to default
                </Button>
              </div>
            </fieldset>
          </Popover>
          <DropdownMenu
            triggerVariant="outline"
            triggerSize="md"
            align="end"
            aria-label="Export"
            trigger={
              <>
                <Download />
                Export
              </>
            }
            items={[
              { type: "label", label: "This view (loaded rows)" },
              { label: "CSV", onSelect: () => onExport("csv", false), disabled: exportDisabled },
              { label: "JSON", onSelect: () => onExport("json", false), disabled: exportDisabled },
              ...(canExportAll
                ? ([
                    { type: "separator" },
                    { type: "label", label: "All matching rows" },
                    { label: "CSV, all pages", onSelect: () => onExport("csv", true) },
                    { label: "JSON, all pages", onSelect: () => onExport("json", true) },
                  ] satisfies MenuEntry[])
                : []),
            ]}
          />
          {extra}
        </div>
      </div>
      {active.length > 0 ? (
        <div className="flex flex-wrap items-center gap-1.5">
          {active.map(({ id, value }) => {
            const f = kind.filters?.find((x) => x.id === id);
            const label = f?.options.find((o) => o.value === value)?.label ?? value;
            return (
              <span
                key={`${id}:${value}`}
                className="inline-flex h-7 items-center gap-1 rounded-full border border-border-strong bg-surface pr-1 pl-2.5 text-xs"
              >
                <span className="text-muted-foreground">{f?.label ?? id}:</span> {label}
                <button
                  type="button"
                  aria-label={`Remove filter ${f?.label ?? id} ${label}`}
                  className="flex size-5 items-center justify-center rounded-full hover:bg-surface-muted"
                  onClick={() =>
                    onFilters({ ...filters, [id]: (filters[id] ?? []).filter((v) => v !== value) })
                  }
                >
                  <X className="size-3" />
                </button>
              </span>
            );
          })}
          <Button variant="link" size="sm" className="text-xs" onClick={() => onFilters({})}>
            Clear filters
          </Button>
        </div>
      ) : null}
    </div>
  );
}

function CardGrid<Row>({
  kind,
  rows,
  loading,
  scope,
  selectable,
  selection,
  onToggle,
  menuFor,
  visible,
}: {
  kind: ResourceKind<Row>;
  rows: Row[];
  loading: boolean;
  scope: KindScope;
  selectable: boolean;
  selection: RowSelectionState;
  onToggle: (id: string) => void;
  menuFor?: (row: Row) => MenuEntry[];
  visible: string[];
}) {
  const grid = "grid gap-3 sm:grid-cols-2 xl:grid-cols-3";
  if (loading)
    return (
      <div className={grid}>
        {Array.from({ length: 6 }, (_, i) => (
          <Card key={i} className="h-40 p-4">
            <Skeleton className="h-4 w-1/2" />
            <Skeleton className="mt-4 h-3 w-4/5" />
            <Skeleton className="mt-2 h-3 w-3/5" />
            <Skeleton className="mt-2 h-3 w-2/3" />
          </Card>
        ))}
      </div>
    );
  const details = kind.columns
    .filter((c, i) => i > 0 && visible.includes(c.id) && c.id !== "status")
    .slice(0, 4);
  return (
    <ul className={grid}>
      {rows.map((row) => {
        const id = kind.getId(row);
        const href = kind.href?.(row, scope);
        const status = kind.getStatus?.(row);
        const selected = Boolean(selection[id]);
        return (
          <li key={id}>
            <Card
              className={cn(
                "flex h-full flex-col p-4 transition-colors",
                selected && "border-primary/50 bg-primary-soft/40",
              )}
            >
              <div className="flex items-start gap-2.5">
                {selectable ? (
                  <Checkbox
                    className="mt-0.5"
                    aria-label={`Select ${kind.getName(row)}`}
                    checked={selected}
                    onChange={() => onToggle(id)}
                  />
                ) : null}
                <div className="min-w-0 flex-1">
                  {href ? (
                    <Link
                      href={href}
                      className="block truncate font-medium hover:text-primary hover:underline"
                    >
                      {kind.getName(row)}
                    </Link>
                  ) : (
                    <p className="truncate font-medium">{kind.getName(row)}</p>
                  )}
                  {status ? <StatusPill status={status} className="mt-1.5" /> : null}
                </div>
                {menuFor ? (
                  <DropdownMenu
                    trigger={<MoreHorizontal />}
                    triggerSize="icon-sm"
                    align="end"
                    aria-label={`Actions for ${kind.getName(row)}`}
                    items={menuFor(row)}
                  />
                ) : null}
              </div>
              <div className="mt-3 flex-1 text-sm">
                {kind.card ? (
                  kind.card(row)
                ) : (
                  <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5">
                    {details.map((c) => (
                      <div key={c.id} className="contents">
                        <dt className="text-muted-foreground">{c.header}</dt>
                        <dd className="min-w-0 truncate">{renderCell(kind, c, row, scope, false)}</dd>
                      </div>
                    ))}
                  </dl>
                )}
              </div>
            </Card>
          </li>
        );
      })}
    </ul>
  );
}
