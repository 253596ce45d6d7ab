import { router } from "@/server/trpc";
import { countResources } from "./count-resources";
import { createSavedView } from "./create-saved-view";
import { deleteSavedView } from "./delete-saved-view";
import { getPreferences } from "./get-preferences";
import { listNotifications } from "./list-notifications";
import { listSavedViews } from "./list-saved-views";
import { markNotificationsRead } from "./mark-notifications-read";
import { search } from "./search";
import { updatePreferences } from "./update-preferences";

export const prefsRouter = router({
  getPreferences,
  updatePreferences,
  listSavedViews,
  createSavedView,
  deleteSavedView,
  listNotifications,
  markNotificationsRead,
  search,
  countResources,
});
