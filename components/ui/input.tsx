"use client";
// Text input, styled once; inside a <Field> it is labelled and described automatically.
import { forwardRef, type InputHTMLAttributes, type ReactNode } from "react";
import { cn } from "./cn";
import { useFieldControl } from "./field";

export const controlClasses =
  "w-full rounded-md border border-border-strong bg-surface px-3 text-sm text-foreground shadow-xs transition-colors placeholder:text-muted-foreground/70 focus-visible:border-ring focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-ring/40 disabled:cursor-not-allowed disabled:opacity-60 aria-invalid:border-danger aria-invalid:focus-visible:outline-danger/30";

export interface InputProps extends InputHTMLAttributes<HTMLInputElement> {
  /** Icon shown inside the field on the left (a lucide element). */
  leading?: ReactNode;
  /** Node inside the field on the right (unit, clear button). */
  trailing?: ReactNode;
}

export const Input = forwardRef<HTMLInputElement, InputProps>(function Input(
  { className, leading, trailing, type = "text", ...rest },
  ref,
) {
  const field = useFieldControl(rest);
  const input = (
    <input
      ref={ref}
      type={type}
      {...rest}
      {...field}
      className={cn(controlClasses, "h-9", leading ? "pl-9" : "", trailing ? "pr-9" : "", className)}
    />
  );
  if (!leading && !trailing) return input;
  return (
    <div className="relative w-full">
      {leading ? (
        <span className="pointer-events-none absolute inset-y-0 left-3 flex items-center text-muted-foreground [&_svg]:size-4">
          {leading}
        </span>
      ) : null}
      {input}
      {trailing ? (
        <span className="absolute inset-y-0 right-2 flex items-center text-muted-foreground [&_svg]:size-4">
          {trailing}
        </span>
      ) : null}
    </div>
  );
});
