"use client";
// Light, dark or system theme: applied to <html> at once, kept in localStorage for the pre-paint
// script of app/layout.tsx, and saved in the user's server-side preferences to follow them.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useSyncExternalStore } from "react";
import { useTRPC } from "@/components/trpc";
import { toast } from "@/components/ui";

export type Theme = "light" | "dark" | "system";
export const THEME_KEY = "cirrus-theme";

const listeners = new Set<() => void>();

function readTheme(): Theme {
  try {
    const t = localStorage.getItem(THEME_KEY);
    return t === "light" || t === "dark" ? t : "system";
  } catch {
    return "system";
  }
}

export function applyTheme(theme: Theme): void {
  const dark = theme === "dark" || (theme === "system" && matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.classList.toggle("dark", dark);
}

function storeTheme(theme: Theme): void {
  try {
    localStorage.setItem(THEME_KEY, theme);
  } catch {
    // Private mode without storage: the class still applies for this page.
  }
  applyTheme(theme);
  listeners.forEach((l) => l());
}

function subscribe(l: () => void) {
  listeners.add(l);
  const media = matchMedia("(prefers-color-scheme: dark)");
  const onMedia = () => {
    if (readTheme() === "system") applyTheme("system");
  };
  const onStorage = (e: StorageEvent) => {
    if (e.key === THEME_KEY) {
      applyTheme(readTheme());
      l();
    }
  };
  media.addEventListener("change", onMedia);
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(l);
    media.removeEventListener("change", onMedia);
    window.removeEventListener("storage", onStorage);
  };
}

/** The theme, and a setter that applies, stores and saves it. */
export function useTheme(): { theme: Theme; setTheme: (t: Theme) => void } {
  const theme = useSyncExternalStore(subscribe, readTheme, () => "system" as Theme);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const save = useMutation(
    trpc.prefs.updatePreferences.mutationOptions({
      onSuccess: (prefs) => queryClient.setQueryData(trpc.prefs.getPreferences.queryKey(), prefs),
      onError: (e) => toast.error("Could not save the theme to your preferences", e),
    }),
  );
  const { mutate } = save;
  const setTheme = useCallback(
    (t: Theme) => {
      storeTheme(t);
      mutate({ theme: t });
    },
    [mutate],
  );
  return { theme, setTheme };
}

/** Once per page load: the server-side preference wins over this browser's stored one. */
export function useSyncThemeFromServer(): void {
  const trpc = useTRPC();
  const prefs = useQuery({ ...trpc.prefs.getPreferences.queryOptions(), staleTime: 5 * 60_000 });
  const serverTheme = prefs.data?.theme;
  useEffect(() => {
    if (serverTheme && serverTheme !== readTheme()) storeTheme(serverTheme);
  }, [serverTheme]);
}
