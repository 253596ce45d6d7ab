"use client";
// Create and rename dialogs for projects. Creating follows the provisioning job until it settles,
// so the user sees the project become active (or why it did not).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC, type RouterOutputs } from "@/components/trpc";
import {
  Alert,
  Button,
  buttonClasses,
  Dialog,
  errorInfo,
  Field,
  Input,
  KeyValueList,
  StatusPill,
  Textarea,
} from "@/components/ui";
import { slugify, slugProblem } from "./slug";

export type ProjectRow = RouterOutputs["resourcemanager"]["listProjects"]["items"][number];

export function CreateProjectDialog({
  org,
  open,
  onClose,
}: {
  org: string;
  open: boolean;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const [description, setDescription] = useState("");
  const [touched, setTouched] = useState(false);
  const create = useMutation(
    trpc.resourcemanager.createProject.mutationOptions({
      onSuccess: () =>
        queryClient.invalidateQueries({ queryKey: trpc.resourcemanager.listProjects.pathKey() }),
    }),
  );
  const effectiveSlug = slugEdited ? slug : slugify(name);
  const nameError = touched && !name.trim() ? "Enter a name" : null;
  // A reserved or malformed slug shows as soon as it appears; an empty one only after submit.
  const slugError = effectiveSlug || touched || slugEdited ? slugProblem(effectiveSlug) : null;
  const server = create.error ? errorInfo(create.error) : null;

  const close = () => {
    setName("");
    setSlug("");
    setSlugEdited(false);
    setDescription("");
    setTouched(false);
    create.reset();
    onClose();
  };

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!name.trim() || slugProblem(effectiveSlug)) return;
    create.mutate({
      org,
      name: name.trim(),
      slug: effectiveSlug,
      description: description.trim() || undefined,
    });
  };

  if (create.data)
    return (
      <Dialog open={open} onClose={close} title={`Project ${create.data.name}`} size="md">
        <ProvisioningStatus org={org} project={create.data} onClose={close} />
      </Dialog>
    );

  return (
    <Dialog
      open={open}
      onClose={close}
      dismissible={!create.isPending}
      title="Create project"
      description="A project holds resources and has its own quotas, carved out of the organisation's."
      footer={
        <>
          <Button variant="ghost" onClick={close} disabled={create.isPending}>
            Cancel
          </Button>
          <Button type="submit" form="create-project" loading={create.isPending}>
            Create project
          </Button>
        </>
      }
    >
      <form id="create-project" className="flex flex-col gap-4" onSubmit={submit} noValidate>
        {server && !server.field ? (
          <Alert tone="danger" title="The project was not created">
            {server.message}
            {server.requestId ? (
              <span className="block text-xs opacity-80">Request id {server.requestId}</span>
            ) : null}
          </Alert>
        ) : null}
        <Field
          label="Name"
          required
          error={nameError ?? (server?.field === "name" ? server.message : undefined)}
        >
          <Input
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoFocus
            maxLength={64}
            placeholder="Payments API"
          />
        </Field>
        <Field
          label="Slug"
          required
          hint="Used in URLs and the API. Lowercase letters, digits and dashes; it cannot change later."
          error={slugError ?? (server?.field === "slug" ? server.message : undefined)}
        >
          <Input
            value={effectiveSlug}
            onChange={(e) => {
              setSlugEdited(true);
              setSlug(e.target.value.toLowerCase());
            }}
            maxLength={40}
            className="font-mono"
            placeholder="payments-api"
          />
        </Field>
        <Field label="Description" hint="Optional: what the project is for.">
          <Textarea
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            rows={3}
            maxLength={500}
          />
        </Field>
      </form>
    </Dialog>
  );
}

/** Follows the new project's provisioning job until it settles. */
function ProvisioningStatus({
  org,
  project,
  onClose,
}: {
  org: string;
  project: RouterOutputs["resourcemanager"]["createProject"];
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const list = useQuery({
    ...trpc.resourcemanager.listProjects.queryOptions({ org, q: project.slug, limit: 10 }),
    refetchInterval: (q) => {
      const row = q.state.data?.items.find((p) => p.id === project.id);
      return row && row.status !== "provisioning" ? false : 2000;
    },
  });
  const row = list.data?.items.find((p) => p.id === project.id);
  const status = row?.status ?? project.status;
  const job = row?.job ?? null;
  return (
    <div className="flex flex-col gap-4" data-testid="project-provisioning">
      {status === "active" ? (
        <Alert tone="success" title="The project is ready">
          Its resources, quotas and members can now be set up.
        </Alert>
      ) : status === "failed" ? (
        <Alert tone="danger" title="Provisioning failed">
          {job?.lastError ?? "The provisioning job failed."}
        </Alert>
      ) : (
        <Alert tone="info" title="Provisioning">
          The project is being created in every region. You can close this dialog: the list shows its
          progress.
        </Alert>
      )}
      <KeyValueList
        items={[
          { label: "Project", value: `${project.name} (${project.slug})` },
          { label: "Status", value: <StatusPill status={status} /> },
          {
            label: "Provisioning job",
            value: (
              <span className="flex flex-wrap items-center gap-2">
                <StatusPill status={job?.state ?? project.job.state} />
                {job?.lastError && status !== "active" ? (
                  <span className="text-xs text-muted-foreground">Last error: {job.lastError}</span>
                ) : null}
              </span>
            ),
          },
          { label: "Job id", value: project.job.id, mono: true, copy: project.job.id },
        ]}
      />
      <div className="flex justify-end gap-2">
        <Button variant="ghost" onClick={onClose}>
          Close
        </Button>
        <Link href={`/${org}/${project.slug}`} className={buttonClasses({ variant: "primary" })}>
          Open project
        </Link>
      </div>
    </div>
  );
}

export function RenameProjectDialog({
  project,
  onClose,
}: {
  project: ProjectRow | null;
  onClose: () => void;
}) {
  return project ? <RenameOpen project={project} onClose={onClose} /> : null;
}

function RenameOpen({ project, onClose }: { project: ProjectRow; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState(project.name);
  const [description, setDescription] = useState(project.description);
  const update = useMutation(
    trpc.resourcemanager.updateProject.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.resourcemanager.pathKey() });
        onClose();
      },
    }),
  );
  const err = update.error ? errorInfo(update.error) : null;
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return;
    update.mutate({ project: project.id, name: name.trim(), description: description.trim() });
  };
  return (
    <Dialog
      open
      onClose={onClose}
      dismissible={!update.isPending}
      title={`Rename ${project.slug}`}
      description="The slug stays the same, so links and API calls keep working."
      footer={
        <>
          <Button variant="ghost" onClick={onClose} disabled={update.isPending}>
            Cancel
          </Button>
          <Button type="submit" form="rename-project" loading={update.isPending} disabled={!name.trim()}>
            Save
          </Button>
        </>
      }
    >
      <form id="rename-project" className="flex flex-col gap-4" onSubmit={submit} noValidate>
        {err ? <Alert tone="danger">{err.message}</Alert> : null}
        <Field label="Name" required error={!name.trim() ? "Enter a name" : undefined}>
          <Input value={name} onChange={(e) => setName(e.target.value)} autoFocus maxLength={64} />
        </Field>
        <Field label="Description">
          <Textarea
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            rows={3}
            maxLength={500}
          />
        </Field>
      </form>
    </Dialog>
  );
}
