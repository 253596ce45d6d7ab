// Label/value pairs for detail pages (id, created, region...), optionally with a copy button.
import type { ReactNode } from "react";
import { cn } from "./cn";
import { CopyButton } from "./copy-field";

export interface KeyValueItem {
  label: ReactNode;
  value: ReactNode;
  /** Adds a copy button for this text. */
  copy?: string;
  /** Monospace value (ids, addresses). */
  mono?: boolean;
}

export function KeyValueList({
  items,
  columns = 1,
  className,
}: {
  items: KeyValueItem[];
  columns?: 1 | 2 | 3;
  className?: string;
}) {
  return (
    <dl
      className={cn(
        "grid gap-x-8 gap-y-3.5 text-sm",
        columns === 2 && "sm:grid-cols-2",
        columns === 3 && "sm:grid-cols-2 lg:grid-cols-3",
        className,
      )}
    >
      {items.map((item, i) => (
        <div key={i} className="grid min-w-0 grid-cols-[minmax(7rem,35%)_1fr] items-baseline gap-3">
          <dt className="truncate text-muted-foreground">{item.label}</dt>
          <dd
            className={cn(
              "flex min-w-0 items-center gap-1 text-foreground",
              item.mono && "font-mono text-[13px]",
            )}
          >
            <span className="min-w-0 break-words">
              {item.value ?? <span className="text-muted-foreground">—</span>}
            </span>
            {item.copy ? <CopyButton value={item.copy} size="icon-sm" className="-my-1.5 size-7" /> : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}
