"use client";
// The bell: unread count, the latest notifications, mark one or all read. Polls every minute
// (and on focus) until the live channel carries notifications.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Bell, CheckCheck } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/components/trpc";
import { Button, EmptyState, ErrorState, Popover, RelativeTime, Skeleton, cn, toast } from "@/components/ui";

export function NotificationsMenu() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const list = useQuery({
    ...trpc.prefs.listNotifications.queryOptions({ limit: 15 }),
    refetchInterval: 60_000,
    refetchOnWindowFocus: true,
  });
  const mark = useMutation(
    trpc.prefs.markNotificationsRead.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.prefs.listNotifications.pathKey() }),
      onError: (e) => toast.error("Could not mark the notifications read", e),
    }),
  );
  const unread = list.data?.unreadCount ?? 0;
  return (
    <Popover
      align="end"
      triggerSize="icon"
      aria-label={unread ? `Notifications, ${unread} unread` : "Notifications"}
      title="Notifications"
      data-testid="notifications-button"
      trigger={
        <span className="relative">
          <Bell />
          {unread > 0 ? (
            <span className="absolute -top-1.5 -right-1.5 flex h-4 min-w-4 items-center justify-center rounded-full bg-danger px-1 text-[10px] leading-none font-semibold text-white tabular-nums">
              {unread > 99 ? "99+" : unread}
            </span>
          ) : null}
        </span>
      }
      panelClassName="w-[min(24rem,calc(100vw-2rem))]"
    >
      {(close) => (
        <div className="flex max-h-[70vh] flex-col">
          <div className="flex items-center justify-between border-b border-border px-4 py-2.5">
            <p className="text-sm font-semibold">Notifications</p>
            <Button
              variant="ghost"
              size="sm"
              icon={<CheckCheck />}
              disabled={unread === 0}
              loading={mark.isPending}
              onClick={() => mark.mutate({ all: true })}
            >
              Mark all read
            </Button>
          </div>
          <div className="min-h-0 flex-1 overflow-y-auto">
            {list.isPending ? (
              <div className="flex flex-col gap-3 p-4">
                {[0, 1, 2].map((i) => (
                  <div key={i} className="flex flex-col gap-1.5">
                    <Skeleton className="h-3.5 w-3/4" />
                    <Skeleton className="h-3 w-1/3" />
                  </div>
                ))}
              </div>
            ) : list.isError ? (
              <ErrorState compact error={list.error} onRetry={() => void list.refetch()} />
            ) : list.data.items.length === 0 ? (
              <EmptyState
                compact
                icon={<Bell />}
                title="You are all caught up"
                description="Approvals, finished jobs and alerts show up here."
              />
            ) : (
              <ul className="divide-y divide-border">
                {list.data.items.map((n) => (
                  <li key={n.id}>
                    <button
                      type="button"
                      className="flex w-full gap-3 px-4 py-3 text-left hover:bg-surface-muted"
                      onClick={() => {
                        if (!n.readAt) mark.mutate({ ids: [n.id] });
                        if (n.link?.startsWith("/")) {
                          close();
                          router.push(n.link);
                        }
                      }}
                    >
                      <span
                        className={cn(
                          "mt-1.5 size-2 shrink-0 rounded-full",
                          n.readAt ? "bg-transparent" : "bg-primary",
                        )}
                        aria-label={n.readAt ? undefined : "Unread"}
                      />
                      <span className="min-w-0 flex-1">
                        <span className={cn("block text-sm", !n.readAt && "font-medium")}>{n.title}</span>
                        {n.body ? (
                          <span className="mt-0.5 line-clamp-2 block text-xs text-muted-foreground">
                            {n.body}
                          </span>
                        ) : null}
                        <RelativeTime
                          date={n.createdAt}
                          className="mt-1 block text-xs text-muted-foreground"
                        />
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
    </Popover>
  );
}
