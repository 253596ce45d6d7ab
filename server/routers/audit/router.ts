import { router } from "@/server/trpc";

export const auditRouter = router({});
