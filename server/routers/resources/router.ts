// The inventory's live channel, shared by every resource page.
import { router } from "@/server/trpc";
import { watchResources } from "./watch-resources";

export const resourcesRouter = router({ live: watchResources });
