import { router } from "@/server/trpc";
import { createToken } from "./create-token";
import { getHealth } from "./get-health";
import { getMe } from "./get-me";
import { listMyOrganizations } from "./list-organizations";
import { listRegions } from "./list-regions";

export const commonRouter = router({ getHealth, createToken, getMe, listMyOrganizations, listRegions });
