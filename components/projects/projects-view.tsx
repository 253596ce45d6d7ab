"use client";
// The organisation's projects: a table with each project's state and its latest lifecycle job,
// create (follows provisioning), rename (project admins too) and delete when empty, confirmed by
// typing the slug; a project that still holds resources is refused with how many.
import { useQuery } from "@tanstack/react-query";
import { FolderKanban, Pencil, Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { defineKind, ResourceTable, usePermissions } from "@/components/resources";
import { useTRPC, useTRPCClient } from "@/components/trpc";
import { Button, PageHeader, RelativeTime, StatusPill, Tooltip } from "@/components/ui";
import { CreateProjectDialog, RenameProjectDialog, type ProjectRow } from "./project-dialogs";

const JOB_WORDS: Record<string, string> = {
  "project.provision": "Provisioning",
  "project.delete": "Deletion",
};

function ProjectStatus({ p }: { p: ProjectRow }) {
  const job = p.job;
  const settled = p.status === "active" && (!job || job.state === "SUCCEEDED");
  return (
    <span className="flex flex-col items-start gap-1">
      <StatusPill status={p.status} />
      {!settled && job && job.state !== "SUCCEEDED" ? (
        <Tooltip
          content={job.lastError ?? `${JOB_WORDS[job.kind] ?? job.kind} job ${job.state.toLowerCase()}`}
        >
          <span className="max-w-56 truncate text-xs text-muted-foreground" data-testid="project-job">
            {JOB_WORDS[job.kind] ?? job.kind} job {job.state.toLowerCase()}
            {job.lastError ? `: ${job.lastError}` : ""}
          </span>
        </Tooltip>
      ) : null}
    </span>
  );
}

const projectKind = defineKind<ProjectRow>({
  id: "resourcemanager.project",
  label: "Project",
  plural: "Projects",
  icon: <FolderKanban />,
  getId: (p) => p.id,
  // The slug is what delete asks to be typed: it is unique and what URLs and the API use.
  getName: (p) => p.slug,
  href: (p, scope) => `/${scope.org}/${p.slug}`,
  getStatus: (p) => p.status,
  searchPlaceholder: "Search by name or slug",
  empty: { title: "No projects yet", description: "A project holds resources and has its own quotas." },
  columns: [
    { id: "name", header: "Name", hideable: false, sortable: true },
    {
      id: "slug",
      header: "Slug",
      sortable: true,
      cell: (p) => <span className="font-mono text-xs">{p.slug}</span>,
    },
    { id: "status", header: "Status", cell: (p) => <ProjectStatus p={p} />, value: (p) => p.status },
    {
      id: "description",
      header: "Description",
      cell: (p) =>
        p.description ? (
          <span className="line-clamp-1 max-w-80 text-muted-foreground">{p.description}</span>
        ) : (
          <span className="text-muted-foreground">—</span>
        ),
    },
    {
      id: "createdAt",
      header: "Created",
      sortable: true,
      cell: (p) => <RelativeTime date={p.createdAt} />,
      value: (p) => p.createdAt.toISOString(),
    },
    {
      id: "id",
      header: "ID",
      defaultVisible: false,
      cell: (p) => <span className="font-mono text-xs">{p.id}</span>,
    },
  ],
  filters: [
    {
      id: "status",
      label: "Status",
      options: [
        { value: "provisioning", label: "Provisioning" },
        { value: "active", label: "Active" },
        { value: "deleting", label: "Deleting" },
        { value: "failed", label: "Failed" },
      ],
      match: (p, values) => values.includes(p.status),
    },
  ],
  actions: [
    {
      id: "delete",
      label: "Delete",
      icon: <Trash2 />,
      tone: "danger",
      permission: "resourcemanager.project.delete",
      placement: "row",
      disabled: (p) => (p.status === "deleting" ? "Already being deleted" : null),
      confirm: {
        title: (rows) => `Delete project ${rows[0]!.slug}?`,
        description: () =>
          "Only an empty project can be deleted: remove its resources first. Its quotas return to the organisation and its role assignments go with it.",
        confirmLabel: "Delete project",
        typed: true,
      },
      run: (p, { client }) => client.resourcemanager.deleteProject.mutate({ project: p.id }),
    },
  ],
});

export function ProjectsView({ org }: { org: string }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const perms = usePermissions({ org });
  const me = useQuery({ ...trpc.common.getMe.queryOptions(), staleTime: 60_000 });
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<ProjectRow | null>(null);
  // Rename is a project-level permission: project admins may rename theirs.
  const canRename = (p: ProjectRow) =>
    perms.can("resourcemanager.project.update") ||
    Boolean(
      me.data?.memberships
        .find((m) => m.org.slug === org || m.org.id === org)
        ?.projects.find((x) => x.id === p.id)
        ?.permissions.includes("resourcemanager.project.update"),
    );
  const createButton = perms.can("resourcemanager.project.create") ? (
    <Button icon={<Plus />} onClick={() => setCreating(true)}>
      Create project
    </Button>
  ) : null;

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Projects"
        description="Projects hold your resources. Each has its own quotas, carved out of the organisation's, and its own members."
        actions={createButton}
      />
      <ResourceTable
        kind={projectKind}
        scope={{ org }}
        queryKey={trpc.resourcemanager.listProjects.pathKey()}
        clientSide
        fetchPage={({ q, cursor, limit }) =>
          client.resourcemanager.listProjects.query({ org, q, cursor, limit })
        }
        rowActions={(p) =>
          canRename(p)
            ? [{ label: "Rename", icon: <Pencil />, onSelect: () => setRenaming(p) }]
            : [
                {
                  label: "Rename",
                  icon: <Pencil />,
                  disabled: true,
                  disabledReason: "Requires resourcemanager.project.update",
                },
              ]
        }
        emptyAction={createButton}
        // Provisioning and deletion finish in the background: keep the states fresh.
        refetchInterval={5000}
      />
      <CreateProjectDialog org={org} open={creating} onClose={() => setCreating(false)} />
      <RenameProjectDialog project={renaming} onClose={() => setRenaming(null)} />
    </div>
  );
}
