// The application router: one sub-router per domain. Procedures live one per file beside them.
import { router } from "@/server/trpc";
import { commonRouter } from "./common/router";
import { resourcemanagerRouter } from "./resourcemanager/router";

export const appRouter = router({
  common: commonRouter,
  resourcemanager: resourcemanagerRouter,
});

export type AppRouter = typeof appRouter;
