"use client";
// Key/value labels (at most five), validated as typed with the inventory's rules.
import { Plus, X } from "lucide-react";
import { useId } from "react";
import { Button, Input } from "@/components/ui";
import { MAX_LABELS, validateLabelPairs, type LabelErrors, type LabelPair } from "./labels";

export function LabelsEditor({
  value,
  onChange,
  disabled,
  label = "Labels",
}: {
  value: LabelPair[];
  onChange: (pairs: LabelPair[]) => void;
  disabled?: boolean;
  label?: string;
}) {
  const errors: LabelErrors = validateLabelPairs(value);
  const id = useId();
  const set = (i: number, patch: Partial<LabelPair>) =>
    onChange(value.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  return (
    <fieldset className="flex flex-col gap-2" aria-describedby={`${id}-hint`}>
      <legend className="mb-1.5 text-sm font-medium">{label}</legend>
      {value.length ? (
        <div
          className="grid grid-cols-[1fr_1fr_auto] gap-x-2 gap-y-1 text-xs text-muted-foreground"
          aria-hidden="true"
        >
          <span>Key</span>
          <span>Value</span>
          <span className="w-8" />
        </div>
      ) : null}
      {value.map((pair, i) => {
        const err = errors.rows[i];
        return (
          <div key={i} className="grid grid-cols-[1fr_1fr_auto] items-start gap-2">
            <div>
              <Input
                aria-label={`Label ${i + 1} key`}
                value={pair.key}
                placeholder="env"
                disabled={disabled}
                aria-invalid={Boolean(err?.key)}
                aria-describedby={err?.key ? `${id}-k${i}` : undefined}
                onChange={(e) => set(i, { key: e.target.value })}
                spellCheck={false}
                autoComplete="off"
              />
              {err?.key ? (
                <p id={`${id}-k${i}`} className="mt-1 text-xs text-danger">
                  {err.key}
                </p>
              ) : null}
            </div>
            <div>
              <Input
                aria-label={`Label ${i + 1} value`}
                value={pair.value}
                placeholder="production"
                disabled={disabled}
                aria-invalid={Boolean(err?.value)}
                aria-describedby={err?.value ? `${id}-v${i}` : undefined}
                onChange={(e) => set(i, { value: e.target.value })}
                spellCheck={false}
                autoComplete="off"
              />
              {err?.value ? (
                <p id={`${id}-v${i}`} className="mt-1 text-xs text-danger">
                  {err.value}
                </p>
              ) : null}
            </div>
            <Button
              variant="ghost"
              size="icon"
              aria-label={`Remove label ${pair.key || i + 1}`}
              disabled={disabled}
              onClick={() => onChange(value.filter((_, j) => j !== i))}
            >
              <X />
            </Button>
          </div>
        );
      })}
      {errors.form ? <p className="text-xs text-danger">{errors.form}</p> : null}
      <div className="flex items-center gap-3">
        <Button
          variant="outline"
          size="sm"
          icon={<Plus />}
          disabled={disabled || value.length >= MAX_LABELS}
          onClick={() => onChange([...value, { key: "", value: "" }])}
        >
          Add label
        </Button>
        <span id={`${id}-hint`} className="text-xs text-muted-foreground">
          {value.length} of {MAX_LABELS}
        </span>
      </div>
    </fieldset>
  );
}
