// Project lifecycle jobs: provisioning (upstream tenancy, then active) and deletion.
import { eq } from "drizzle-orm";
import { projects, resources } from "@/db/schema";
import type { Workflow } from "./index";
import {
  deprovisionProjectUpstream,
  provisionDefaultNetworks,
  provisionProjectUpstream,
} from "@/server/cloud/tenancy";

export const projectWorkflows: Workflow[] = [
  {
    kind: "project.provision",
    title: "Provision project",
    steps: [
      {
        name: "Create the project in every region",
        run: ({ job, heartbeat }) => provisionProjectUpstream(job.projectId!, heartbeat),
      },
      {
        name: "Create the default VPC in every region",
        run: ({ job, heartbeat }) => provisionDefaultNetworks(job.projectId!, job.id, heartbeat),
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
      // the catalogue mirror (flavors, images, default VPC) goes with the project
      await tx.delete(resources).where(eq(resources.projectId, job.projectId!));
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
