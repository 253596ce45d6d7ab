import { router } from "@/server/trpc";

export const jobsRouter = router({});
