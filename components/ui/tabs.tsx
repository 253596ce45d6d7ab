"use client";
// Tabs (WAI-ARIA tablist with arrow keys). Controlled: the caller holds the value, e.g. in the URL
// (DetailPage does). With `hrefFor`, each tab is a link so it can be opened in a new tab.
import Link from "next/link";
import { useRef, type KeyboardEvent, type ReactNode } from "react";
import { cn } from "./cn";

export interface TabItem {
  id: string;
  label: ReactNode;
  /** A count shown beside the label. */
  count?: number;
  disabled?: boolean;
}

export function Tabs({
  items,
  value,
  onValueChange,
  hrefFor,
  className,
  "aria-label": ariaLabel,
}: {
  items: TabItem[];
  value: string;
  onValueChange?: (id: string) => void;
  hrefFor?: (id: string) => string;
  className?: string;
  "aria-label"?: string;
}) {
  const refs = useRef<Map<string, HTMLElement>>(new Map());
  const enabled = items.filter((i) => !i.disabled);
  const onKeyDown = (e: KeyboardEvent) => {
    const at = enabled.findIndex((i) => i.id === value);
    let next: number | null = null;
    if (e.key === "ArrowRight") next = (at + 1) % enabled.length;
    else if (e.key === "ArrowLeft") next = (at - 1 + enabled.length) % enabled.length;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = enabled.length - 1;
    if (next === null) return;
    e.preventDefault();
    const target = enabled[next];
    if (!target) return;
    refs.current.get(target.id)?.focus();
    if (hrefFor) refs.current.get(target.id)?.click();
    else onValueChange?.(target.id);
  };
  return (
    <div
      role="tablist"
      aria-label={ariaLabel}
      onKeyDown={onKeyDown}
      className={cn("flex gap-1 overflow-x-auto border-b border-border", className)}
    >
      {items.map((item) => {
        const selected = item.id === value;
        const cls = cn(
          "relative -mb-px inline-flex h-10 shrink-0 items-center gap-2 border-b-2 px-3 text-sm font-medium whitespace-nowrap transition-colors",
          selected
            ? "border-primary text-foreground"
            : "border-transparent text-muted-foreground hover:border-border-strong hover:text-foreground",
          item.disabled && "pointer-events-none opacity-50",
        );
        const content = (
          <>
            {item.label}
            {item.count !== undefined ? (
              <span className="rounded-full bg-surface-muted px-1.5 text-xs text-muted-foreground tabular-nums">
                {item.count}
              </span>
            ) : null}
          </>
        );
        const common = {
          role: "tab" as const,
          id: `tab-${item.id}`,
          "aria-selected": selected,
          "aria-controls": `tabpanel-${item.id}`,
          tabIndex: selected ? 0 : -1,
          className: cls,
          ref: (el: HTMLElement | null) => {
            if (el) refs.current.set(item.id, el);
            else refs.current.delete(item.id);
          },
        };
        return hrefFor && !item.disabled ? (
          <Link key={item.id} href={hrefFor(item.id)} scroll={false} replace {...common}>
            {content}
          </Link>
        ) : (
          <button
            key={item.id}
            type="button"
            disabled={item.disabled}
            onClick={() => onValueChange?.(item.id)}
            {...common}
          >
            {content}
          </button>
        );
      })}
    </div>
  );
}

export function TabPanel({
  id,
  children,
  className,
}: {
  id: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <div
      role="tabpanel"
      id={`tabpanel-${id}`}
      aria-labelledby={`tab-${id}`}
      className={cn("pt-5", className)}
    >
      {children}
    </div>
  );
}
