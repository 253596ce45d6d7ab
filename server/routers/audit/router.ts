// The activity log: list with filters and search, facets, integrity check, export, live feed.
import { router } from "@/server/trpc";
import { exportEvents } from "./export-events";
import { listEvents } from "./list-events";
import { listFacets } from "./list-facets";
import { verifyLog } from "./verify-log";
import { watchEvents } from "./watch-events";

export const auditRouter = router({
  listEvents,
  listFacets,
  verifyLog,
  exportEvents,
  live: watchEvents,
});
