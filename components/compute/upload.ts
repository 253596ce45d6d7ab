// The image file upload: a raw PUT of the file with XMLHttpRequest, for its upload progress
// (fetch has none). Same cookie session as the console.

export interface UploadHandle {
  done: Promise<void>;
  abort: () => void;
}

export function imageFileUrl(scope: { org: string; project: string }, imageId: string): string {
  const p = encodeURIComponent(scope.project);
  return `/api/tenant/v1/projects/${p}/images/${encodeURIComponent(imageId)}/file?org=${encodeURIComponent(scope.org)}`;
}

/** An upload failure with the server's problem+json message and request id when it sent them. */
export class UploadError extends Error {
  /** The shape errorInfo() reads the request id from. */
  readonly data: { requestId: string | null };
  constructor(
    message: string,
    readonly status: number,
    requestId: string | null,
  ) {
    super(message);
    this.data = { requestId };
  }
}

export function uploadFile(
  url: string,
  file: Blob,
  onProgress: (sent: number, total: number) => void,
): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<void>((resolve, reject) => {
    xhr.open("PUT", url);
    xhr.withCredentials = true;
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve();
      let message = `The upload failed (HTTP ${xhr.status})`;
      let requestId = xhr.getResponseHeader("x-request-id");
      try {
        const body = JSON.parse(xhr.responseText) as { detail?: string; title?: string; requestId?: string };
        message = body.detail ?? body.title ?? message;
        requestId = body.requestId ?? requestId;
      } catch {
        // not problem+json: keep the status line
      }
      reject(new UploadError(message, xhr.status, requestId));
    };
    xhr.onerror = () => reject(new UploadError("The upload was interrupted (network error)", 0, null));
    xhr.onabort = () => reject(new UploadError("Upload cancelled", 0, null));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}
