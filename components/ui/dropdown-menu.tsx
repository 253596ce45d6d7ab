"use client";
// A menu of actions behind a button (row actions, user menu). Arrow keys, Home/End and Escape
// work; items are buttons or links; destructive ones are red.
import Link from "next/link";
import { useEffect, useRef, type KeyboardEvent, type ReactNode } from "react";
import type { ButtonSize, ButtonVariant } from "./button";
import { cn } from "./cn";
import { Popover } from "./popover";

export type MenuEntry =
  | {
      type?: "item";
      label: ReactNode;
      icon?: ReactNode;
      onSelect?: () => void;
      href?: string;
      tone?: "default" | "danger";
      disabled?: boolean;
      /** Why it is disabled (shown as a title). */
      disabledReason?: string;
      shortcut?: string;
      "data-testid"?: string;
    }
  | { type: "separator" }
  | { type: "label"; label: ReactNode };

export interface DropdownMenuProps {
  trigger: ReactNode;
  items: MenuEntry[];
  align?: "start" | "end";
  triggerVariant?: ButtonVariant;
  triggerSize?: ButtonSize;
  triggerClassName?: string;
  "aria-label"?: string;
  /** Content above the items (the signed-in user's name, say). */
  header?: ReactNode;
  "data-testid"?: string;
}

export function DropdownMenu({ items, header, ...rest }: DropdownMenuProps) {
  return (
    <Popover {...rest} role="menu" panelClassName="py-1">
      {(close) => <MenuList items={items} header={header} close={close} />}
    </Popover>
  );
}

function MenuList({ items, header, close }: { items: MenuEntry[]; header?: ReactNode; close: () => void }) {
  const list = useRef<HTMLDivElement>(null);
  const focusables = () =>
    Array.from(
      list.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])') ?? [],
    );
  useEffect(() => {
    focusables()[0]?.focus();
  }, []);
  const onKeyDown = (e: KeyboardEvent) => {
    const all = focusables();
    const at = all.indexOf(document.activeElement as HTMLElement);
    let next: number | null = null;
    if (e.key === "ArrowDown") next = (at + 1) % all.length;
    else if (e.key === "ArrowUp") next = (at - 1 + all.length) % all.length;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = all.length - 1;
    else if (e.key === "Tab") close();
    if (next === null) return;
    e.preventDefault();
    all[next]?.focus();
  };
  return (
    <div ref={list} role="menu" onKeyDown={onKeyDown} className="flex flex-col">
      {header ? <div className="border-b border-border px-3 pt-1.5 pb-2.5">{header}</div> : null}
      {items.map((item, i) => {
        if (item.type === "separator")
          return <div key={i} role="separator" className="my-1 h-px bg-border" />;
        if (item.type === "label")
          return (
            <div key={i} className="px-3 pt-2 pb-1 text-xs font-medium text-muted-foreground">
              {item.label}
            </div>
          );
        const cls = cn(
          "mx-1 flex h-8 items-center gap-2.5 rounded-md px-2 text-left text-sm outline-none [&_svg]:size-4 [&_svg]:shrink-0",
          item.disabled
            ? "cursor-not-allowed opacity-50"
            : item.tone === "danger"
              ? "text-danger hover:bg-danger-soft focus:bg-danger-soft"
              : "hover:bg-surface-muted focus:bg-surface-muted",
        );
        const body = (
          <>
            <span className={cn("text-muted-foreground", item.tone === "danger" && "text-danger")}>
              {item.icon}
            </span>
            <span className="flex-1 truncate">{item.label}</span>
            {item.shortcut ? (
              <kbd className="font-sans text-xs text-muted-foreground">{item.shortcut}</kbd>
            ) : null}
          </>
        );
        if (item.href && !item.disabled)
          return (
            <Link
              key={i}
              href={item.href}
              role="menuitem"
              tabIndex={-1}
              className={cls}
              onClick={() => close()}
              data-testid={item["data-testid"]}
            >
              {body}
            </Link>
          );
        return (
          <button
            key={i}
            type="button"
            role="menuitem"
            tabIndex={-1}
            aria-disabled={item.disabled || undefined}
            title={item.disabled ? item.disabledReason : undefined}
            className={cls}
            data-testid={item["data-testid"]}
            onClick={() => {
              if (item.disabled) return;
              close();
              item.onSelect?.();
            }}
          >
            {body}
          </button>
        );
      })}
    </div>
  );
}
