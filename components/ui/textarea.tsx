"use client";
// Multi-line text input, the same look as Input.
import { forwardRef, type TextareaHTMLAttributes } from "react";
import { cn } from "./cn";
import { useFieldControl } from "./field";
import { controlClasses } from "./input";

export const Textarea = forwardRef<HTMLTextAreaElement, TextareaHTMLAttributes<HTMLTextAreaElement>>(
  function Textarea({ className, rows = 4, ...rest }, ref) {
    const field = useFieldControl(rest);
    return (
      <textarea
        ref={ref}
        rows={rows}
        {...rest}
        {...field}
        className={cn(controlClasses, "min-h-20 py-2 leading-relaxed", className)}
      />
    );
  },
);
