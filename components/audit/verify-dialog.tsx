"use client";
// "Verify integrity": walks the organisation's hash chain on the server and shows the verdict,
// the first bad event when there is one, and the head hash to record for later checks.
import { useQuery } from "@tanstack/react-query";
import { ShieldAlert, ShieldCheck } from "lucide-react";
import { useTRPC } from "@/components/trpc";
import { Alert, Button, Dialog, ErrorState, formatDateTime, KeyValueList, Spinner } from "@/components/ui";

const KIND: Record<string, string> = {
  altered: "An event was changed after it was written",
  removed: "An event is missing from the chain",
  inserted: "An event was slipped into the chain",
};

export function VerifyDialog({ org, open, onClose }: { org: string; open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const q = useQuery({
    ...trpc.audit.verifyLog.queryOptions({ org }),
    enabled: open,
    staleTime: 0,
    gcTime: 0,
    retry: false,
  });
  const r = q.data;
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Verify integrity"
      description="Each event carries the hash of the one before it, so any change, removal or insertion breaks the chain."
      size="md"
      footer={
        <>
          <Button variant="outline" onClick={() => void q.refetch()} loading={q.isFetching} disabled={!open}>
            Verify again
          </Button>
          <Button onClick={onClose}>Close</Button>
        </>
      }
    >
      <div data-testid="verify-result" className="flex flex-col gap-4">
        {q.isPending || (q.isFetching && !r) ? (
          <div className="flex items-center gap-3 py-6 text-sm text-muted-foreground">
            <Spinner label="Verifying" /> Checking every event of the organisation…
          </div>
        ) : q.isError ? (
          <ErrorState compact error={q.error} onRetry={() => void q.refetch()} />
        ) : r?.ok ? (
          <>
            <div className="flex items-start gap-3 rounded-lg bg-emerald-50 p-4 text-emerald-900 dark:bg-emerald-500/10 dark:text-emerald-200">
              <ShieldCheck className="mt-0.5 size-5 shrink-0" aria-hidden="true" />
              <div>
                <p className="font-medium">The activity log is intact</p>
                <p className="mt-1 text-sm opacity-90">
                  {r.checked.toLocaleString("en")} {r.checked === 1 ? "event" : "events"} verified in{" "}
                  {(r.durationMs / 1000).toFixed(r.durationMs < 1000 ? 2 : 1)} s,{" "}
                  {formatDateTime(r.verifiedAt)}.
                </p>
              </div>
            </div>
            {r.last ? (
              <KeyValueList
                items={[
                  { label: "Newest event", value: `#${r.last.seq} · ${formatDateTime(r.last.createdAt)}` },
                  { label: "Head hash", value: r.last.hash, mono: true, copy: r.last.hash },
                ]}
              />
            ) : null}
            <p className="text-xs text-muted-foreground">
              Keep the head hash somewhere else (a ticket, a vault): if the newest events were ever removed,
              the chain would still verify, but it would no longer end with this hash.
            </p>
          </>
        ) : r ? (
          <>
            <div className="flex items-start gap-3 rounded-lg bg-red-50 p-4 text-red-900 dark:bg-red-500/10 dark:text-red-200">
              <ShieldAlert className="mt-0.5 size-5 shrink-0" aria-hidden="true" />
              <div>
                <p className="font-medium">{KIND[r.problem?.kind ?? ""] ?? "The chain is broken"}</p>
                <p className="mt-1 text-sm opacity-90">{r.problem?.message}</p>
              </div>
            </div>
            <KeyValueList
              items={[
                { label: "Verified before the problem", value: `${r.checked.toLocaleString("en")} events` },
                { label: "First bad position", value: `#${r.problem?.seq ?? "?"}` },
                ...(r.problem?.eventId
                  ? [{ label: "Event id", value: String(r.problem.eventId), mono: true }]
                  : []),
              ]}
            />
            <Alert tone="danger" title="What to do">
              Someone with direct database access changed the log. Keep this result, export the log, and alert
              your security team: the events from position #{r.problem?.seq ?? "?"} on cannot be trusted.
            </Alert>
          </>
        ) : null}
      </div>
    </Dialog>
  );
}
