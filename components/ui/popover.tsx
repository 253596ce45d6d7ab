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
  // Fixed to the viewport from the trigger's box, so a table's overflow cannot clip the panel.
  const [pos, setPos] = useState<{ top: number; left?: number; right?: number } | null>(null);
  const panelId = useId();
  const triggerId = useId();
  // Focus goes back by id rather than a ref, so the render-prop `close` reads nothing during render.
  const focusTrigger = () => document.getElementById(triggerId)?.focus();
  const place = () => {
    const r = document.getElementById(triggerId)?.getBoundingClientRect();
    if (!r) return;
    setPos(
      align === "end"
        ? { top: r.bottom + 6, right: window.innerWidth - r.right }
        : { top: r.bottom + 6, left: r.left },
    );
  };

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
    // A fixed panel would drift from its trigger on scroll or resize: close it then. Only when the
    // trigger really moved: a scroll event elsewhere (a list refreshing, scroll anchoring) must
    // not close a menu the user just opened.
    const at = document.getElementById(triggerId)?.getBoundingClientRect();
    const onMove = (e: Event) => {
      if (wrapper.current && e.target instanceof Node && wrapper.current.contains(e.target)) return;
      const now = document.getElementById(triggerId)?.getBoundingClientRect();
      if (at && now && Math.abs(now.top - at.top) < 1 && Math.abs(now.left - at.left) < 1) return;
      setOwn(false);
      onOpenChange?.(false);
    };
    document.addEventListener("pointerdown", onDown);
    document.addEventListener("keydown", onKey);
    window.addEventListener("scroll", onMove, true);
    window.addEventListener("resize", onMove);
    return () => {
      document.removeEventListener("pointerdown", onDown);
      document.removeEventListener("keydown", onKey);
      window.removeEventListener("scroll", onMove, true);
      window.removeEventListener("resize", onMove);
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
        onClick={() => {
          if (!open) place();
          setOpen(!open);
        }}
        className={buttonClasses({ variant: triggerVariant, size: triggerSize, className: triggerClassName })}
      >
        {trigger}
      </button>
      {open ? (
        <div
          id={panelId}
          style={pos ?? undefined}
          className={cn(
            "z-50 min-w-48 rounded-lg border border-border bg-surface-raised text-foreground shadow-lg",
            pos ? "fixed" : cn("absolute top-full mt-1.5", align === "end" ? "right-0" : "left-0"),
            panelClassName,
          )}
        >
          {typeof children === "function" ? children(close) : children}
        </div>
      ) : null}
    </div>
  );
}
