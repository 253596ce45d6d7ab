"use client";
// Binds TableUrlState to the current URL: reading from useSearchParams, writing with
// router.replace (no history entry per keystroke, no scroll jump).
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { parseTableState, writeTableState, type TableUrlState, type UrlStateOptions } from "./url-state";

export function useTableUrlState(opts: UrlStateOptions) {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const { prefix, defaultView, filterIds, defaultSort } = opts;
  const stable = useMemo<UrlStateOptions>(
    () => ({ prefix, defaultView, filterIds, defaultSort }),
    // filterIds and defaultSort are compared by value so callers may pass literals.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [prefix, defaultView, filterIds?.join(","), defaultSort?.id, defaultSort?.desc],
  );
  const state = useMemo(
    () => parseTableState(new URLSearchParams(params.toString()), stable),
    [params, stable],
  );
  const update = useCallback(
    (patch: Partial<TableUrlState>) => {
      const next = writeTableState(new URLSearchParams(window.location.search), patch, stable);
      const qs = next.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [router, pathname, stable],
  );
  return { state, update, options: stable, params };
}
