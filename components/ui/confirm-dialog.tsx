"use client";
// Confirmation for consequential actions. Destructive ones can require typing the resource's
// name, so a slip of the mouse never deletes anything. Shows the failure inline if it fails.
import { useState, type ReactNode } from "react";
import { Alert } from "./alert";
import { Button } from "./button";
import { Dialog } from "./dialog";
import { errorInfo } from "./error-info";
import { Field } from "./field";
import { Input } from "./input";

export interface ConfirmDialogProps {
  open: boolean;
  onClose: () => void;
  /** May return a promise: the dialog shows a spinner, then closes, or shows the error and stays. */
  onConfirm: () => void | Promise<unknown>;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  confirmLabel?: string;
  cancelLabel?: string;
  tone?: "default" | "danger";
  /** The exact text (usually the resource name) the user must type to enable the action. */
  typedConfirmation?: string;
  /** Controlled busy state (otherwise tracked from the promise onConfirm returns). */
  loading?: boolean;
  /** Controlled error to show (otherwise the rejection of onConfirm). */
  error?: unknown;
}

export function ConfirmDialog(props: ConfirmDialogProps) {
  return props.open ? (
    <ConfirmDialogOpen {...props} />
  ) : (
    <Dialog open={false} onClose={props.onClose} title="" />
  );
}

function ConfirmDialogOpen({
  open,
  onClose,
  onConfirm,
  title,
  description,
  children,
  confirmLabel = "Confirm",
  cancelLabel = "Cancel",
  tone = "default",
  typedConfirmation,
  loading,
  error,
}: ConfirmDialogProps) {
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const working = loading ?? busy;
  const shownError = error ?? failure;
  const matches = typedConfirmation === undefined || typed.trim() === typedConfirmation;

  const confirm = async () => {
    if (!matches || working) return;
    setFailure(null);
    const result = onConfirm();
    if (result instanceof Promise) {
      setBusy(true);
      try {
        await result;
        onClose();
      } catch (e) {
        setFailure(e);
      } finally {
        setBusy(false);
      }
    }
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      description={description}
      dismissible={!working}
      size="md"
      footer={
        <>
          <Button variant="outline" onClick={onClose} disabled={working}>
            {cancelLabel}
          </Button>
          <Button
            variant={tone === "danger" ? "danger" : "primary"}
            onClick={() => void confirm()}
            disabled={!matches}
            loading={working}
            data-testid="confirm-action"
          >
            {confirmLabel}
          </Button>
        </>
      }
    >
      <form
        className="flex flex-col gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          void confirm();
        }}
      >
        {children}
        {typedConfirmation !== undefined ? (
          <Field
            label={
              <>
                Type <span className="rounded bg-surface-muted px-1 font-mono">{typedConfirmation}</span> to
                confirm
              </>
            }
          >
            <Input
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              autoFocus
              data-testid="typed-confirmation"
            />
          </Field>
        ) : null}
        {shownError ? (
          <Alert tone="danger" title="That did not work">
            {errorInfo(shownError).message}
          </Alert>
        ) : null}
      </form>
    </Dialog>
  );
}
