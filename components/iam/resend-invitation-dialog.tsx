"use client";
// Issues a new invitation link for a user who has not accepted yet (the previous link stops working).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc";
import { Alert, Button, CopyField, Dialog, errorInfo, formatDateTime } from "@/components/ui";
import { absoluteUrl } from "./invite-user-dialog";

export function ResendInvitationDialog({
  org,
  user,
  onClose,
}: {
  org: string;
  user: { id: string; email: string } | null;
  onClose: () => void;
}) {
  return user ? <ResendOpen org={org} user={user} onClose={onClose} /> : null;
}

function ResendOpen({
  org,
  user,
  onClose,
}: {
  org: string;
  user: { id: string; email: string };
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const resend = useMutation(
    trpc.iam.resendInvitation.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.iam.pathKey() }),
    }),
  );
  const inv = resend.data?.invitation;
  return (
    <Dialog
      open
      onClose={onClose}
      dismissible={!resend.isPending}
      title={`New invitation link for ${user.email}`}
      footer={
        inv ? (
          <Button onClick={onClose}>Done</Button>
        ) : (
          <>
            <Button variant="ghost" onClick={onClose}>
              Cancel
            </Button>
            <Button loading={resend.isPending} onClick={() => resend.mutate({ org, userId: user.id })}>
              Issue new link
            </Button>
          </>
        )
      }
    >
      {inv ? (
        <div className="flex flex-col gap-4">
          <Alert tone="warning" title="Copy this link now: it is shown only once">
            It expires on {formatDateTime(inv.expiresAt)}. The previous link no longer works.
          </Alert>
          <CopyField value={absoluteUrl(inv.url)} label="Invitation link" />
        </div>
      ) : (
        <div className="flex flex-col gap-3 text-sm">
          <p>The previous link stops working as soon as the new one is issued.</p>
          {resend.error ? <Alert tone="danger">{errorInfo(resend.error).message}</Alert> : null}
        </div>
      )}
    </Dialog>
  );
}
