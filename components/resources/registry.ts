// The kind registry: each resource kind is described once (columns, filters, actions with their
// permission, card renderer), and tables, card grids, bulk actions and exports are generated from it.
import type { TRPCClient } from "@trpc/client";
import type { QueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { AppRouter } from "@/server/routers/_app";
import type { Permission } from "@/server/iam/permissions";
import type { CellValue } from "./csv";
import type { SortState } from "./url-state";

/** Where a table lives: the org and project slugs of the route. */
export interface KindScope {
  org?: string;
  project?: string;
}

export interface ActionContext {
  /** The vanilla tRPC client: `client.iam.suspendUser.mutate({...})`. */
  client: TRPCClient<AppRouter>;
  queryClient: QueryClient;
  scope: KindScope;
}

export interface ResourceColumn<Row> {
  id: string;
  header: string;
  /** The cell as shown; defaults to the plain value. */
  cell?: (row: Row) => ReactNode;
  /** Plain value for client-side sort, search and CSV/JSON export; defaults to row[id]. */
  value?: (row: Row) => CellValue;
  sortable?: boolean;
  /** Shown until the user picks columns (default true). */
  defaultVisible?: boolean;
  /** Can be hidden in the column chooser (default true; the name column should say false). */
  hideable?: boolean;
  align?: "left" | "right";
  /** Tailwind width class for the column ("w-40"). */
  width?: string;
  /** Part of exports (default true). */
  exportable?: boolean;
}

export interface ResourceFilter<Row> {
  id: string;
  label: string;
  options: { value: string; label: string }[];
  /** Several values at once (OR); default true. */
  multiple?: boolean;
  /** Client-side test, used when the table filters loaded rows itself (`clientSide`). */
  match?: (row: Row, values: string[]) => boolean;
}

export interface ResourceAction<Row> {
  id: string;
  label: string;
  icon?: ReactNode;
  /** Checked at the table's scope; without it the action is disabled with a reason. */
  permission: Permission;
  tone?: "default" | "danger";
  /** Row menu, bulk bar, or both (default "both"). */
  placement?: "row" | "bulk" | "both";
  /** Runs for one row; bulk runs call it per selected row and report each result. */
  run: (row: Row, ctx: ActionContext) => Promise<unknown>;
  /** A reason string disables the action for this row ("Already suspended"). */
  disabled?: (row: Row) => string | false | null | undefined;
  /** Ask first. `typed`: the user types the name (one row) or "<n> <plural>" (several). */
  confirm?: {
    title: (rows: Row[]) => string;
    description?: (rows: Row[]) => ReactNode;
    confirmLabel?: string;
    typed?: boolean;
  };
}

export interface ResourceKind<Row> {
  /** Stable id, also the key of saved views ("iam.user", "compute.instance"). */
  id: string;
  label: string;
  plural: string;
  icon?: ReactNode;
  getId: (row: Row) => string;
  getName: (row: Row) => string;
  /** Detail page of a row (the name cell and card link there). */
  href?: (row: Row, scope: KindScope) => string | undefined;
  columns: ResourceColumn<Row>[];
  filters?: ResourceFilter<Row>[];
  actions?: ResourceAction<Row>[];
  /** Body of a card in the cards view (the table draws name, status and selection around it). */
  card?: (row: Row) => ReactNode;
  /** Status shown as a pill on cards. */
  getStatus?: (row: Row) => string | undefined;
  defaultSort?: SortState;
  searchPlaceholder?: string;
  /** Shown when there is nothing at all yet (not when a search matches nothing). */
  empty?: { title: string; description?: string };
}

/** Identity helper that infers Row from the columns. */
export function defineKind<Row>(kind: ResourceKind<Row>): ResourceKind<Row> {
  return kind;
}

export interface KindSummary {
  id: string;
  label: string;
  plural: string;
  icon?: ReactNode;
}

const kinds = new Map<string, KindSummary>();

/** Makes a kind known to generic consumers (command palette labels, saved views). */
export function registerKind<Row>(kind: ResourceKind<Row>): ResourceKind<Row> {
  kinds.set(kind.id, { id: kind.id, label: kind.label, plural: kind.plural, icon: kind.icon });
  return kind;
}

export function getKind(id: string): KindSummary | undefined {
  return kinds.get(id);
}

export function listKinds(): KindSummary[] {
  return [...kinds.values()];
}

/** A column's plain value: its accessor, else the row's property of the same id. */
export function columnValue<Row>(column: ResourceColumn<Row>, row: Row): CellValue {
  if (column.value) return column.value(row);
  const v = (row as Record<string, unknown>)[column.id];
  if (v === null || v === undefined) return v;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean" || v instanceof Date) return v;
  return JSON.stringify(v);
}
