// A fetch-compatible function over node:http/https, used only for regions with `verify: false`
// or a private `cacert`: Node's global fetch cannot take per-request TLS options without undici.
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface TlsOptions {
  verify: boolean;
  cacert?: string;
}

export function createTlsFetch(tls: TlsOptions): FetchLike {
  const agent = new HttpsAgent({
    keepAlive: true,
    rejectUnauthorized: tls.verify,
    ...(tls.cacert ? { ca: readFileSync(tls.cacert) } : {}),
  });
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const u = new URL(url);
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((v, k) => {
        headers[k] = v;
      });
      const send = u.protocol === "https:" ? httpsRequest : httpRequest;
      const req = send(
        u,
        {
          method: init.method ?? "GET",
          headers,
          ...(u.protocol === "https:" ? { agent } : {}),
          signal: init.signal ?? undefined,
        },
        (res) => {
          const status = res.statusCode ?? 502;
          const resHeaders = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (Array.isArray(v)) for (const item of v) resHeaders.append(k, item);
            else if (v !== undefined) resHeaders.set(k, v);
          }
          const nullBody = status === 204 || status === 304 || init.method === "HEAD";
          const body = nullBody ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
          if (nullBody) res.resume();
          resolve(new Response(body, { status, statusText: res.statusMessage ?? "", headers: resHeaders }));
        },
      );
      req.on("error", reject);
      const body = init.body;
      if (body === undefined || body === null) req.end();
      else if (typeof body === "string" || body instanceof Uint8Array) req.end(body);
      else if (body instanceof Blob) {
        body.arrayBuffer().then((b) => req.end(Buffer.from(b)), reject);
      } else if (body instanceof ReadableStream) {
        Readable.fromWeb(body as NodeReadableStream<Uint8Array>)
          .on("error", reject)
          .pipe(req);
      } else {
        reject(new TypeError("unsupported request body type"));
      }
    });
}
