"use client";
// False while rendering on the server and hydrating, true afterwards. Views that read queries the
// shell may already have cached (permissions, projects) render them only then, so the hydrated
// markup matches the server's.
import { useSyncExternalStore } from "react";

const noop = () => () => undefined;

export function useMounted(): boolean {
  return useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
}
