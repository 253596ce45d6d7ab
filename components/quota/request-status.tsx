// The state of a quota request as a coloured badge.
import { Badge } from "@/components/ui";

const tones = { pending: "warning", approved: "success", rejected: "danger" } as const;
const labels = { pending: "Pending", approved: "Approved", rejected: "Rejected" } as const;

export function RequestStatus({ status }: { status: "pending" | "approved" | "rejected" }) {
  return <Badge tone={tones[status]}>{labels[status]}</Badge>;
}

const priorityTones = { High: "danger", Medium: "info", Low: "neutral" } as const;

export function PriorityBadge({ priority }: { priority: "High" | "Medium" | "Low" }) {
  return <Badge tone={priorityTones[priority]}>{priority}</Badge>;
}
