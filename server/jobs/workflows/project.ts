// Project lifecycle jobs: provisioning (upstream tenancy, then active) and deletion.
import { eq } from "drizzle-orm";
import { projects } from "@/db/schema";
import type { Workflow } from "./index";
import { deprovisionProjectUpstream, provisionProjectUpstream } from "@/server/cloud/tenancy";

export const projectWorkflows: Workflow[] = [
  {
    kind: "project.provision",
    title: "Provision project",
    steps: [
      {
        name: "Create the project in every region",
        run: ({ job, heartbeat }) => provisionProjectUpstream(job.projectId!, heartbeat),
      },
    ],
    async onSuccess(tx, job) {
      await tx
        .update(projects)
        .set({ status: "active", updatedAt: new Date() })
        .where(eq(projects.id, job.projectId!));
    },
    async onFailure(tx, job) {
      await tx
        .update(projects)
        .set({ status: "failed", updatedAt: new Date() })
        .where(eq(projects.id, job.projectId!));
    },
  },
  {
    kind: "project.delete",
    title: "Delete project",
    steps: [
      {
        name: "Remove the project from every region",
        run: ({ job }) => deprovisionProjectUpstream(job.projectId!),
      },
    ],
    async onSuccess(tx, job) {
      await tx.delete(projects).where(eq(projects.id, job.projectId!));
    },
    async onFailure(tx, job) {
      await tx
        .update(projects)
        .set({ status: "active", updatedAt: new Date() })
        .where(eq(projects.id, job.projectId!));
    },
  },
];
