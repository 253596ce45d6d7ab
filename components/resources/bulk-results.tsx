"use client";
// Bulk actions run item by item (a few at a time) and report each item's outcome, so a partial
// failure is visible and nothing is silently lost.
import { CheckCircle2, CircleDashed, XCircle } from "lucide-react";
import { Button, Dialog, ProgressBar, Spinner, errorInfo } from "@/components/ui";

export type BulkItemResult =
  | { state: "pending" }
  | { state: "running" }
  | { state: "succeeded" }
  | { state: "failed"; message: string; requestId: string | null };

/** Runs `task` for every item with bounded concurrency, reporting each result as it lands. */
export async function runBulk<T>(
  items: T[],
  task: (item: T) => Promise<unknown>,
  idOf: (item: T) => string,
  report: (id: string, result: BulkItemResult) => void,
  concurrency = 4,
): Promise<{ succeeded: number; failed: number }> {
  let next = 0;
  let succeeded = 0;
  let failed = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      const id = idOf(item);
      report(id, { state: "running" });
      try {
        await task(item);
        succeeded++;
        report(id, { state: "succeeded" });
      } catch (e) {
        failed++;
        const info = errorInfo(e);
        report(id, { state: "failed", message: info.message, requestId: info.requestId });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return { succeeded, failed };
}

export function BulkResultsDialog({
  title,
  items,
  results,
  done,
  onClose,
}: {
  title: string;
  items: { id: string; name: string }[];
  results: Record<string, BulkItemResult>;
  done: boolean;
  onClose: () => void;
}) {
  const all = items.map((i) => ({ ...i, result: results[i.id] ?? { state: "pending" as const } }));
  const ok = all.filter((i) => i.result.state === "succeeded").length;
  const failed = all.filter((i) => i.result.state === "failed").length;
  const finished = ok + failed;
  return (
    <Dialog
      open
      onClose={onClose}
      title={title}
      description={
        done
          ? failed
            ? `${ok} succeeded, ${failed} failed.`
            : `All ${ok} succeeded.`
          : `Working: ${finished} of ${items.length} done.`
      }
      dismissible={done}
      size="lg"
      footer={
        <Button onClick={onClose} disabled={!done} data-testid="bulk-close">
          Close
        </Button>
      }
    >
      <ProgressBar
        value={finished}
        max={items.length}
        label="Progress"
        className="mb-4"
        barClassName={failed ? "bg-amber-500" : "bg-emerald-500"}
      />
      <ul
        className="divide-y divide-border rounded-md border border-border text-sm"
        data-testid="bulk-results"
      >
        {all.map(({ id, name, result }) => (
          <li key={id} className="flex items-start gap-3 px-3 py-2.5" data-state={result.state}>
            <span className="mt-0.5 shrink-0" aria-hidden="true">
              {result.state === "succeeded" ? (
                <CheckCircle2 className="size-4 text-emerald-600 dark:text-emerald-400" />
              ) : result.state === "failed" ? (
                <XCircle className="size-4 text-red-600 dark:text-red-400" />
              ) : result.state === "running" ? (
                <Spinner />
              ) : (
                <CircleDashed className="size-4 text-muted-foreground" />
              )}
            </span>
            <div className="min-w-0 flex-1">
              <p className="truncate font-medium">{name}</p>
              {result.state === "failed" ? (
                <p className="mt-0.5 text-red-700 dark:text-red-300">
                  {result.message}
                  {result.requestId ? (
                    <span className="ml-2 font-mono text-xs text-muted-foreground">
                      Request ID {result.requestId}
                    </span>
                  ) : null}
                </p>
              ) : null}
            </div>
            <span className="shrink-0 text-xs text-muted-foreground">
              {result.state === "succeeded"
                ? "Done"
                : result.state === "failed"
                  ? "Failed"
                  : result.state === "running"
                    ? "Running"
                    : "Waiting"}
            </span>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
