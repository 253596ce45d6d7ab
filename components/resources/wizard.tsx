"use client";
// A multi-step form: steps with their own validation, back/next, and a review step that shows
// the summary and the quota impact before anything is submitted.
import { Check } from "lucide-react";
import { useState, type ReactNode } from "react";
import { Alert, Button, Card, errorInfo, cn } from "@/components/ui";
import { exceeded, QuotaImpactTable, type QuotaImpactRow } from "./quota-impact";

export interface WizardStep {
  id: string;
  title: string;
  description?: string;
  content: ReactNode;
  /** Returns an error message (or a list) when the step cannot be left yet. */
  validate?: () => string | string[] | null | undefined;
}

export interface WizardProps {
  steps: WizardStep[];
  /** The review step's summary (a KeyValueList of the choices). */
  review: ReactNode;
  /** Quota impact rows shown on the review step. */
  quotaImpact?: QuotaImpactRow[];
  /** Whether a request over a limit may still be submitted (false: the button is disabled). */
  allowOverQuota?: boolean;
  /** What to offer when over quota ("Request an increase" link). */
  overQuotaAction?: ReactNode;
  onSubmit: () => Promise<unknown> | void;
  onCancel?: () => void;
  submitLabel?: string;
  /** Controlled current step index (else internal). */
  step?: number;
  onStepChange?: (index: number) => void;
  className?: string;
}

export function Wizard({
  steps,
  review,
  quotaImpact,
  allowOverQuota = false,
  overQuotaAction,
  onSubmit,
  onCancel,
  submitLabel = "Create",
  step: controlled,
  onStepChange,
  className,
}: WizardProps) {
  const [own, setOwn] = useState(0);
  const [reached, setReached] = useState(0);
  const [errors, setErrors] = useState<string[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const all = [
    ...steps,
    { id: "review", title: "Review", description: "Check the request and its quota impact." },
  ];
  const index = Math.min(controlled ?? own, all.length - 1);
  const go = (i: number) => {
    setErrors([]);
    setOwn(i);
    setReached((r) => Math.max(r, i));
    onStepChange?.(i);
  };
  const isReview = index === steps.length;
  const over = quotaImpact ? exceeded(quotaImpact) : [];

  const validateUpTo = (target: number): boolean => {
    for (let i = index; i < target; i++) {
      const result = steps[i]?.validate?.();
      const list = !result ? [] : Array.isArray(result) ? result : [result];
      if (list.length) {
        if (i !== index) go(i);
        setErrors(list);
        return false;
      }
    }
    return true;
  };

  const next = () => {
    if (validateUpTo(index + 1)) go(index + 1);
  };

  const submit = async () => {
    if (!validateUpTo(steps.length)) return;
    setFailure(null);
    setSubmitting(true);
    try {
      await onSubmit();
    } catch (e) {
      setFailure(e);
    } finally {
      setSubmitting(false);
    }
  };

  const current = all[index]!;
  return (
    <div className={cn("grid gap-6 lg:grid-cols-[14rem_1fr]", className)}>
      <nav aria-label="Steps">
        <ol className="flex gap-2 overflow-x-auto lg:flex-col lg:gap-1">
          {all.map((s, i) => {
            const done = i < index;
            const active = i === index;
            const reachable = i <= reached && !submitting;
            return (
              <li key={s.id} className="shrink-0">
                <button
                  type="button"
                  disabled={!reachable || active}
                  aria-current={active ? "step" : undefined}
                  onClick={() => {
                    if (i < index || validateUpTo(i)) go(i);
                  }}
                  className={cn(
                    "flex w-full items-center gap-3 rounded-md px-2 py-2 text-left text-sm transition-colors",
                    active ? "bg-primary-soft font-medium text-foreground" : "text-muted-foreground",
                    reachable && !active && "hover:bg-surface-muted hover:text-foreground",
                    !reachable && "cursor-default",
                  )}
                >
                  <span
                    className={cn(
                      "flex size-6 shrink-0 items-center justify-center rounded-full border text-xs font-semibold tabular-nums",
                      active && "border-primary bg-primary text-primary-foreground",
                      done && "border-primary text-primary",
                      !active && !done && "border-border-strong",
                    )}
                  >
                    {done ? <Check className="size-3.5" aria-hidden="true" /> : i + 1}
                  </span>
                  <span className="truncate">{s.title}</span>
                </button>
              </li>
            );
          })}
        </ol>
      </nav>

      <Card>
        <div className="border-b border-border px-6 py-4">
          <p className="text-xs font-medium text-muted-foreground">
            Step {index + 1} of {all.length}
          </p>
          <h2 className="mt-0.5 text-base font-semibold">{current.title}</h2>
          {current.description ? (
            <p className="mt-0.5 text-sm text-muted-foreground">{current.description}</p>
          ) : null}
        </div>
        <div className="flex flex-col gap-5 px-6 py-5">
          {errors.length ? (
            <Alert tone="danger" title="Fix these before you continue">
              <ul className="list-disc pl-4">
                {errors.map((e) => (
                  <li key={e}>{e}</li>
                ))}
              </ul>
            </Alert>
          ) : null}
          {isReview ? (
            <>
              {review}
              {quotaImpact && quotaImpact.length > 0 ? (
                <section aria-labelledby="quota-impact-title" className="flex flex-col gap-2">
                  <h3 id="quota-impact-title" className="text-sm font-semibold">
                    Quota impact
                  </h3>
                  <QuotaImpactTable rows={quotaImpact} />
                  {over.length ? (
                    <Alert tone="danger" title="This request is over quota" action={overQuotaAction}>
                      {over.map((r) => r.label).join(", ")} would pass the limit. Free capacity or request an
                      increase first.
                    </Alert>
                  ) : null}
                </section>
              ) : null}
              {failure ? (
                <Alert tone="danger" title="The request failed">
                  {errorInfo(failure).message}
                  {errorInfo(failure).requestId ? (
                    <span className="mt-1 block font-mono text-xs opacity-75">
                      Request ID {errorInfo(failure).requestId}
                    </span>
                  ) : null}
                </Alert>
              ) : null}
            </>
          ) : (
            steps[index]?.content
          )}
        </div>
        <div className="flex items-center justify-between gap-2 rounded-b-lg border-t border-border bg-surface-muted/50 px-6 py-3">
          <div>
            {onCancel ? (
              <Button variant="ghost" onClick={onCancel} disabled={submitting}>
                Cancel
              </Button>
            ) : null}
          </div>
          <div className="flex gap-2">
            <Button variant="outline" onClick={() => go(index - 1)} disabled={index === 0 || submitting}>
              Back
            </Button>
            {isReview ? (
              <Button
                onClick={() => void submit()}
                loading={submitting}
                disabled={over.length > 0 && !allowOverQuota}
                data-testid="wizard-submit"
              >
                {submitLabel}
              </Button>
            ) : (
              <Button onClick={next} data-testid="wizard-next">
                {index === steps.length - 1 ? "Review" : "Next"}
              </Button>
            )}
          </div>
        </div>
      </Card>
    </div>
  );
}
