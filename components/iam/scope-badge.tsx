// Where a role assignment applies: the whole organisation, or one project.
import { Building2, FolderKanban } from "lucide-react";
import { Badge } from "@/components/ui";

export function ScopeBadge({
  scopeType,
  projectSlug,
  projectName,
}: {
  scopeType: "org" | "project";
  projectSlug: string | null;
  projectName?: string | null;
}) {
  return scopeType === "org" ? (
    <Badge tone="accent" title="Applies to the whole organisation and all its projects">
      <Building2 className="size-3" aria-hidden="true" />
      Organisation
    </Badge>
  ) : (
    <Badge tone="info" title={projectName ? `Project ${projectName}` : undefined}>
      <FolderKanban className="size-3" aria-hidden="true" />
      Project {projectSlug}
    </Badge>
  );
}
