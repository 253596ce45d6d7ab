"use client";
// A button that opens a floating panel below it; closes on Escape, outside click and route change
// by the caller. The base of DropdownMenu; use directly for custom panels (notifications).
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { buttonClasses, type ButtonSize, type ButtonVariant } from "./button";
import { cn } from "./cn";

export interface PopoverProps {
  /** Content of the trigger button. */
  trigger: ReactNode;
  children: ReactNode | ((close: () => void) => ReactNode);
  align?: "start" | "end";
  triggerVariant?: ButtonVariant;
  triggerSize?: ButtonSize;
  triggerClassName?: string;
  panelClassName?: string;
  "aria-label"?: string;
  /** "menu" for menus (arrow keys handled by the child), "dialog" for panels. */
  role?: "menu" | "dialog";
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  title?: string;
  "data-testid"?: string;
}

export function Popover({
  trigger,
  children,
  align = "start",
  triggerVariant = "ghost",
  triggerSize = "md",
  triggerClassName,
  panelClassName,
  role = "dialog",
  open: controlled,
  onOpenChange,
  title,
  ...rest
}: PopoverProps) {
  const [own, setOwn] = useState(false);
  const open = controlled ?? own;
  const setOpen = (v: boolean) => {
    setOwn(v);
    onOpenChange?.(v);
  };
  const wrapper = useRef<HTMLDivElement>(null);
  const panelId = useId();
  const triggerId = useId();
  // Focus goes back by id rather than a ref, so the render-prop `close` reads nothing during render.
  const focusTrigger = () => document.getElementById(triggerId)?.focus();

  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (wrapper.current && !wrapper.current.contains(e.target as Node)) {
        setOwn(false);
        onOpenChange?.(false);
      }
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        setOwn(false);
        onOpenChange?.(false);
        document.getElementById(triggerId)?.focus();
      }
    };
    document.addEventListener("pointerdown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [open, onOpenChange, triggerId]);

  const close = () => {
    setOpen(false);
    focusTrigger();
  };

  return (
    <div ref={wrapper} className="relative inline-flex">
      <button
        id={triggerId}
        type="button"
        aria-haspopup={role}
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        aria-label={rest["aria-label"]}
        title={title}
        data-testid={rest["data-testid"]}
        onClick={() => setOpen(!open)}
        className={buttonClasses({ variant: triggerVariant, size: triggerSize, className: triggerClassName })}
      >
        {trigger}
      </button>
      {open ? (
        <div
          id={panelId}
          className={cn(
            "absolute top-full z-50 mt-1.5 min-w-48 rounded-lg border border-border bg-surface-raised text-foreground shadow-lg",
            align === "end" ? "right-0" : "left-0",
            panelClassName,
          )}
        >
          {typeof children === "function" ? children(close) : children}
        </div>
      ) : null}
    </div>
  );
}
