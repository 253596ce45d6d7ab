// The application router: one sub-router per domain. Procedures live one per file beside them.
import { router } from "@/server/trpc";
import { auditRouter } from "./audit/router";
import { commonRouter } from "./common/router";
import { computeRouter } from "./compute/router";
import { iamRouter } from "./iam/router";
import { jobsRouter } from "./jobs/router";
import { networkRouter } from "./network/router";
import { opsRouter } from "./ops/router";
import { prefsRouter } from "./prefs/router";
import { quotaRouter } from "./quota/router";
import { resourcemanagerRouter } from "./resourcemanager/router";
import { resourcesRouter } from "./resources/router";
import { storageRouter } from "./storage/router";

export const appRouter = router({
  common: commonRouter,
  resourcemanager: resourcemanagerRouter,
  iam: iamRouter,
  quota: quotaRouter,
  audit: auditRouter,
  jobs: jobsRouter,
  ops: opsRouter,
  prefs: prefsRouter,
  compute: computeRouter,
  network: networkRouter,
  storage: storageRouter,
  resources: resourcesRouter,
});

export type AppRouter = typeof appRouter;
