"use client";
// Inline limit editing: a draft of new limits per resource, validated as the user types (whole
// numbers within the bounds the page gives), and only the changed resources sent.
import { useMemo, useState } from "react";
import { Alert, Button, errorInfo, Input } from "@/components/ui";
import { quotaResourceNames, resourceLabel, type QuotaResource } from "./catalog";

export type LimitBounds = (r: QuotaResource, n: number) => string | null;

export function useLimitDraft(current: Record<QuotaResource, number> | undefined, bounds: LimitBounds) {
  const [draft, setDraft] = useState<Partial<Record<QuotaResource, string>>>({});
  return useMemo(() => {
    const errors: Partial<Record<QuotaResource, string>> = {};
    const changed: Partial<Record<QuotaResource, number>> = {};
    for (const r of quotaResourceNames) {
      const text = draft[r];
      if (text === undefined || !current) continue;
      const trimmed = text.trim();
      if (!/^\d+$/.test(trimmed)) {
        errors[r] = "Enter a whole number";
        continue;
      }
      const n = Number(trimmed);
      const problem = bounds(r, n);
      if (problem) errors[r] = problem;
      else if (n !== current[r]) changed[r] = n;
    }
    return {
      value: (r: QuotaResource) => draft[r] ?? String(current?.[r] ?? ""),
      set: (r: QuotaResource, v: string) => setDraft((d) => ({ ...d, [r]: v })),
      reset: () => setDraft({}),
      errors,
      changed,
      hasErrors: Object.keys(errors).length > 0,
      changeCount: Object.keys(changed).length,
    };
  }, [draft, current, bounds]);
}

export function LimitInput({
  resource,
  value,
  onChange,
  error,
  hint,
}: {
  resource: QuotaResource;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  hint?: string;
}) {
  const id = `limit-${resource}`;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="sr-only">
        New {resourceLabel(resource)} limit
      </label>
      <Input
        id={id}
        inputMode="numeric"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || hint ? `${id}-msg` : undefined}
        className="h-8 text-right tabular-nums"
      />
      {error || hint ? (
        <p
          id={`${id}-msg`}
          className={error ? "text-xs font-medium text-danger" : "text-xs text-muted-foreground"}
          role={error ? "alert" : undefined}
        >
          {error ?? hint}
        </p>
      ) : null}
    </div>
  );
}

/** The sticky bar of an inline limit edit: what changed, Cancel and Save, and why a save failed. */
export function LimitsEditBar({
  draft,
  idleHint,
  saving,
  saveError,
  onCancel,
  onSave,
}: {
  draft: ReturnType<typeof useLimitDraft>;
  /** Shown while nothing has changed yet: the rule of this page's limits. */
  idleHint: string;
  saving: boolean;
  saveError: unknown;
  onCancel: () => void;
  onSave: () => void;
}) {
  const failure = saveError ? errorInfo(saveError) : null;
  return (
    <>
      <div className="sticky top-2 z-10 flex flex-wrap items-center justify-between gap-3 rounded-lg border border-border bg-surface px-4 py-3 shadow-sm">
        <p className="text-sm text-muted-foreground">
          {draft.hasErrors
            ? "Fix the highlighted limits to save."
            : draft.changeCount === 0
              ? idleHint
              : `${draft.changeCount} ${draft.changeCount === 1 ? "limit" : "limits"} changed.`}
        </p>
        <div className="flex gap-2">
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
          <Button loading={saving} disabled={draft.hasErrors || draft.changeCount === 0} onClick={onSave}>
            Save limits
          </Button>
        </div>
      </div>
      {failure ? (
        <Alert tone="danger" title="The limits were not saved">
          {failure.message}
          {failure.requestId ? (
            <span className="mt-1 block text-xs opacity-75">Request id {failure.requestId}</span>
          ) : null}
        </Alert>
      ) : null}
    </>
  );
}
