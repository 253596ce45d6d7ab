// Reads what a user should see out of any thrown value: the problem's message, its code and the
// request id that finds it in the logs. Works on tRPC client errors by shape, with no import.
export interface ErrorInfo {
  message: string;
  /** AppError code (NOT_FOUND, FORBIDDEN, QUOTA_EXCEEDED...) when the server sent one. */
  code: string | null;
  requestId: string | null;
  /** Input field the error is about, when known. */
  field: string | null;
}

interface ErrorShape {
  message?: unknown;
  data?: { appCode?: unknown; code?: unknown; requestId?: unknown; field?: unknown } | null;
  shape?: { data?: { appCode?: unknown; requestId?: unknown } } | null;
}

const str = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? v : null);

export function errorInfo(error: unknown): ErrorInfo {
  if (error == null) return { message: "Something went wrong.", code: null, requestId: null, field: null };
  if (typeof error === "string") return { message: error, code: null, requestId: null, field: null };
  const e = error as ErrorShape;
  const data = e.data ?? e.shape?.data ?? null;
  const code =
    str((data as { appCode?: unknown } | null)?.appCode) ?? str((data as { code?: unknown } | null)?.code);
  let message = str(e.message) ?? "Something went wrong.";
  // A network failure surfaces as fetch's terse TypeError: say what it means.
  if (message === "Failed to fetch" || message === "fetch failed" || message === "Load failed")
    message = "The console could not reach the server. Check your connection and retry.";
  return {
    message,
    code,
    requestId: str((data as { requestId?: unknown } | null)?.requestId),
    field: str((data as { field?: unknown } | null)?.field),
  };
}
