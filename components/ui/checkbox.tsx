"use client";
// Native checkbox with an `indeterminate` prop (for "some rows selected").
import { forwardRef, useEffect, useImperativeHandle, useRef, type InputHTMLAttributes } from "react";
import { cn } from "./cn";
import { useFieldControl } from "./field";

export interface CheckboxProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "type"> {
  indeterminate?: boolean;
}

export const Checkbox = forwardRef<HTMLInputElement, CheckboxProps>(function Checkbox(
  { className, indeterminate = false, ...rest },
  ref,
) {
  const inner = useRef<HTMLInputElement>(null);
  useImperativeHandle(ref, () => inner.current as HTMLInputElement);
  useEffect(() => {
    if (inner.current) inner.current.indeterminate = indeterminate;
  }, [indeterminate]);
  const field = useFieldControl(rest);
  return (
    <input
      ref={inner}
      type="checkbox"
      {...rest}
      {...field}
      aria-checked={indeterminate ? "mixed" : undefined}
      className={cn(
        "size-4 shrink-0 cursor-pointer rounded border-border-strong accent-primary disabled:cursor-not-allowed disabled:opacity-50",
        className,
      )}
    />
  );
});
