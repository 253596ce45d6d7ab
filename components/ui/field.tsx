"use client";
// Label + control + hint + error. The control inside a <Field> (Input, Select, Textarea, Checkbox,
// Switch) picks up its id, aria-describedby and aria-invalid from context, so callers wire nothing.
import {
  createContext,
  useContext,
  useId,
  type AriaAttributes,
  type LabelHTMLAttributes,
  type ReactNode,
} from "react";
import { cn } from "./cn";

interface FieldContextValue {
  id: string;
  describedBy: string | undefined;
  invalid: boolean;
  required: boolean;
}

const FieldContext = createContext<FieldContextValue | null>(null);

/** The props a control takes from its surrounding Field (empty outside one). */
export function useFieldControl(props: {
  id?: string;
  "aria-describedby"?: string;
  "aria-invalid"?: AriaAttributes["aria-invalid"];
  required?: boolean;
}) {
  const field = useContext(FieldContext);
  const invalid = props["aria-invalid"] === true || props["aria-invalid"] === "true" || field?.invalid;
  return {
    id: props.id ?? field?.id,
    "aria-describedby":
      [props["aria-describedby"], field?.describedBy].filter(Boolean).join(" ") || undefined,
    "aria-invalid": invalid ? true : undefined,
    required: props.required ?? field?.required,
  };
}

export function Label({ className, children, ...rest }: LabelHTMLAttributes<HTMLLabelElement>) {
  return (
    <label className={cn("text-sm leading-none font-medium text-foreground", className)} {...rest}>
      {children}
    </label>
  );
}

export interface FieldProps {
  label: ReactNode;
  children: ReactNode;
  /** Help text under the control. */
  hint?: ReactNode;
  /** Error text; marks the control invalid. */
  error?: ReactNode;
  required?: boolean;
  /** Use an id of your own (otherwise generated). */
  id?: string;
  className?: string;
  /** Label beside the control (checkbox, switch) instead of above it. */
  inline?: boolean;
}

export function Field({ label, children, hint, error, required = false, id, className, inline }: FieldProps) {
  const generated = useId();
  const controlId = id ?? `f${generated.replaceAll(":", "")}`;
  const hintId = hint ? `${controlId}-hint` : undefined;
  const errorId = error ? `${controlId}-error` : undefined;
  const value: FieldContextValue = {
    id: controlId,
    describedBy: [errorId, hintId].filter(Boolean).join(" ") || undefined,
    invalid: Boolean(error),
    required,
  };
  const labelEl = (
    <Label htmlFor={controlId}>
      {label}
      {required ? (
        <span className="ml-0.5 text-danger" aria-hidden="true">
          *
        </span>
      ) : null}
    </Label>
  );
  return (
    <FieldContext.Provider value={value}>
      <div className={cn("flex flex-col gap-1.5", className)}>
        {inline ? (
          <div className="flex items-center gap-2.5">
            {children}
            {labelEl}
          </div>
        ) : (
          <>
            {labelEl}
            {children}
          </>
        )}
        {hint ? (
          <p id={hintId} className="text-xs text-muted-foreground">
            {hint}
          </p>
        ) : null}
        {error ? (
          <p id={errorId} className="text-xs font-medium text-danger" role="alert">
            {error}
          </p>
        ) : null}
      </div>
    </FieldContext.Provider>
  );
}
