import { router } from "@/server/trpc";

export const iamRouter = router({});
