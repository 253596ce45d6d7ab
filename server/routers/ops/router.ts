import { router } from "@/server/trpc";

export const opsRouter = router({});
