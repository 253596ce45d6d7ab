"use client";
// Copy to clipboard: a button, and a read-only field for values shown once (a new API token).
import { Check, Copy, Eye, EyeOff } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { Button, type ButtonSize } from "./button";
import { cn } from "./cn";

async function writeClipboard(value: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(value);
    return true;
  } catch {
    // Non-secure contexts (plain http on a LAN name) have no clipboard API: fall back to a selection.
    const area = document.createElement("textarea");
    area.value = value;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

function useCopy(value: string, onCopied?: () => void) {
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  const copy = async () => {
    if (await writeClipboard(value)) {
      setCopied(true);
      onCopied?.();
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => setCopied(false), 1800);
    }
  };
  return { copied, copy };
}

export function CopyButton({
  value,
  label = "Copy",
  size = "icon-sm",
  className,
  onCopied,
}: {
  value: string;
  label?: string;
  size?: ButtonSize;
  className?: string;
  onCopied?: () => void;
}) {
  const { copied, copy } = useCopy(value, onCopied);
  return (
    <Button
      variant="ghost"
      size={size}
      className={cn("text-muted-foreground", className)}
      onClick={() => void copy()}
      aria-label={copied ? "Copied" : label}
      title={copied ? "Copied" : label}
    >
      {copied ? <Check className="text-emerald-600 dark:text-emerald-400" /> : <Copy />}
    </Button>
  );
}

export function CopyField({
  value,
  label,
  secret = false,
  multiline = false,
  className,
  onCopied,
}: {
  value: string;
  /** Accessible name of the field. */
  label: string;
  /** Masked until revealed (the value is still copied whole). */
  secret?: boolean;
  /** Several lines (a PEM or OpenSSH private key): shown whole, newlines kept, once revealed. */
  multiline?: boolean;
  className?: string;
  onCopied?: () => void;
}) {
  const [revealed, setRevealed] = useState(!secret);
  const { copied, copy } = useCopy(value, onCopied);
  return (
    <div
      className={cn(
        "flex w-full gap-1 rounded-md border border-border-strong bg-surface-muted pr-1 pl-3",
        multiline && revealed ? "items-start py-1" : "h-10 items-center",
        className,
      )}
    >
      {multiline && revealed ? (
        <textarea
          readOnly
          aria-label={label}
          value={value}
          rows={Math.min(12, value.split("\n").length)}
          onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 resize-none bg-transparent py-1 font-mono text-xs leading-5 text-foreground outline-none"
          spellCheck={false}
        />
      ) : (
        <input
          readOnly
          aria-label={label}
          value={revealed ? value : "•".repeat(Math.min(value.length, 32))}
          onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 bg-transparent font-mono text-sm text-foreground outline-none"
          spellCheck={false}
        />
      )}
      {secret ? (
        <Button
          variant="ghost"
          size="icon-sm"
          onClick={() => setRevealed((r) => !r)}
          aria-label={revealed ? "Hide" : "Reveal"}
          title={revealed ? "Hide" : "Reveal"}
        >
          {revealed ? <EyeOff /> : <Eye />}
        </Button>
      ) : null}
      <Button
        variant={copied ? "secondary" : "outline"}
        size="sm"
        onClick={() => void copy()}
        icon={copied ? <Check /> : <Copy />}
      >
        {copied ? "Copied" : "Copy"}
      </Button>
    </div>
  );
}
