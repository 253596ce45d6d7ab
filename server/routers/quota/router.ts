import { router } from "@/server/trpc";

export const quotaRouter = router({});
