"use client";
// The admin area is for cloud operators: others get a clear explanation instead of a list of
// refusals (the server refuses them anyway).
import { ShieldAlert } from "lucide-react";
import type { ReactNode } from "react";
import { usePermissions } from "@/components/resources";
import { Card, EmptyState, Skeleton } from "@/components/ui";

export function OperatorsOnly({ children }: { children: ReactNode }) {
  const perms = usePermissions({});
  if (!perms.ready) return <Skeleton className="h-64 w-full" />;
  if (!perms.isPlatform)
    return (
      <Card>
        <EmptyState
          icon={<ShieldAlert />}
          title="For cloud operators"
          description="The admin area manages every organisation of the cloud. Your account has no platform role."
        />
      </Card>
    );
  return <>{children}</>;
}
