import { router } from "@/server/trpc";

export const prefsRouter = router({});
