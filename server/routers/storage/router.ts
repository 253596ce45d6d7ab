// Block storage, read-only in this slice: volumes made with instances, to attach and detach.
import { router } from "@/server/trpc";
import { listVolumes } from "./list-volumes";

export const storageRouter = router({ listVolumes });
