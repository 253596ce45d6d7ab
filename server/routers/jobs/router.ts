// Jobs: a project's and an organisation's jobs, one job with its steps, and live updates.
import { router } from "@/server/trpc";
import { getJob } from "./get-job";
import { listJobKinds } from "./list-job-kinds";
import { listOrgJobs } from "./list-org-jobs";
import { listProjectJobs } from "./list-project-jobs";
import { watchJobs } from "./watch-jobs";

export const jobsRouter = router({
  listProjectJobs,
  listOrgJobs,
  getJob,
  listJobKinds,
  live: watchJobs,
});
