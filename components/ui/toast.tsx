"use client";
// Toasts: brief confirmations and failures. `toast()` works from anywhere (mutation callbacks
// included); one <Toaster /> in the console layout renders them in a polite live region.
import { AlertTriangle, CheckCircle2, Info, X, XCircle } from "lucide-react";
import { useSyncExternalStore, type ReactNode } from "react";
import { cn } from "./cn";
import { errorInfo } from "./error-info";

export type ToastTone = "info" | "success" | "warning" | "danger";

export interface ToastInput {
  title: ReactNode;
  description?: ReactNode;
  tone?: ToastTone;
  /** Milliseconds before it goes; 0 keeps it until dismissed. Errors default to 8 s. */
  duration?: number;
  action?: { label: string; onClick: () => void };
}

interface ToastItem extends ToastInput {
  id: number;
}

let items: ToastItem[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

export function dismissToast(id: number): void {
  items = items.filter((t) => t.id !== id);
  emit();
}

export function toast(input: ToastInput): number {
  const id = nextId++;
  // At most five at once: the oldest gives way.
  items = [...items.slice(-4), { ...input, id }];
  emit();
  const duration = input.duration ?? (input.tone === "danger" ? 8000 : 4500);
  if (duration > 0) setTimeout(() => dismissToast(id), duration);
  return id;
}

/** A failure toast carrying the problem's message and request id. */
toast.error = (title: ReactNode, error?: unknown): number => {
  const info = error === undefined ? null : errorInfo(error);
  return toast({
    title,
    tone: "danger",
    description: info ? (
      <>
        {info.message}
        {info.requestId ? (
          <span className="mt-1 block font-mono text-[11px] opacity-70">Request ID {info.requestId}</span>
        ) : null}
      </>
    ) : undefined,
  });
};
toast.success = (title: ReactNode, description?: ReactNode): number =>
  toast({ title, description, tone: "success" });

/** The hook form, for components that prefer it. */
export function useToast() {
  return { toast, dismiss: dismissToast };
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => void listeners.delete(l);
};
const EMPTY: ToastItem[] = [];

const icons: Record<ToastTone, ReactNode> = {
  info: <Info className="text-sky-500" />,
  success: <CheckCircle2 className="text-emerald-500" />,
  warning: <AlertTriangle className="text-amber-500" />,
  danger: <XCircle className="text-red-500" />,
};

export function Toaster() {
  const list = useSyncExternalStore(
    subscribe,
    () => items,
    () => EMPTY,
  );
  return (
    <div
      aria-live="polite"
      aria-relevant="additions"
      className="pointer-events-none fixed right-4 bottom-4 z-[100] flex w-[calc(100%-2rem)] max-w-sm flex-col gap-2"
    >
      {list.map((t) => (
        <div
          key={t.id}
          role={t.tone === "danger" ? "alert" : "status"}
          className={cn(
            "pointer-events-auto flex animate-toast-in gap-3 rounded-lg border border-border bg-surface-raised p-3.5 text-sm shadow-lg",
          )}
        >
          <span className="mt-0.5 shrink-0 [&_svg]:size-4" aria-hidden="true">
            {icons[t.tone ?? "info"]}
          </span>
          <div className="min-w-0 flex-1">
            <p className="font-medium text-foreground">{t.title}</p>
            {t.description ? (
              <div className="mt-0.5 break-words text-muted-foreground">{t.description}</div>
            ) : null}
            {t.action ? (
              <button
                type="button"
                className="mt-2 text-sm font-medium text-primary hover:underline"
                onClick={() => {
                  t.action?.onClick();
                  dismissToast(t.id);
                }}
              >
                {t.action.label}
              </button>
            ) : null}
          </div>
          <button
            type="button"
            aria-label="Dismiss"
            onClick={() => dismissToast(t.id)}
            className="-mt-1 -mr-1 flex size-6 shrink-0 items-center justify-center rounded text-muted-foreground hover:bg-surface-muted hover:text-foreground"
          >
            <X className="size-3.5" />
          </button>
        </div>
      ))}
    </div>
  );
}
