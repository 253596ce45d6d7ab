// The one server process: Next (pages), the tRPC and REST APIs, the WebSocket endpoint, the job
// worker and the reconciler. CIRRUS_ROLE=web|worker|all splits them in production.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import path from "node:path";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { bootstrapDatabase, seedDemoData } from "./bootstrap";
import { getDb } from "@/db/client";
import { getCloud } from "./cloud/regions";
import { startCloud } from "./cloud/start";
import { tenancyReconciler } from "./cloud/tenancy-reconciler";
import { computeReconciler } from "./cloud/compute-reconciler";
import { registerReconciler, startReconciler, type ReconcilerHandle } from "./jobs/reconciler";
import { clientIp, createContext } from "./context";
import { env } from "./env";
import { docsHtml, openApiDocument } from "./http/openapi";
import { handleAuditExport, isAuditExport } from "./http/audit-export";
import { handleImageUpload, isImageUpload } from "./http/image-upload";
import { handleRest } from "./http/rest";
import { startWorker, type WorkerHandle } from "./jobs/worker";
import { log } from "./log";
import { appRouter } from "./routers/_app";
import { stopBoss } from "./jobs/queue";

const REST = /^\/api\/(tenant|ops|common)\/v1(\/|$)/;

async function main(): Promise<void> {
  const dev = env.NODE_ENV !== "production";
  const boot = await bootstrapDatabase();
  const cloud = await startCloud();
  if (boot.demo) await seedDemoData();

  let worker: WorkerHandle | null = null;
  let reconciler: ReconcilerHandle | null = null;
  if (env.CIRRUS_ROLE !== "web") {
    const db = getDb();
    worker = await startWorker(db);
    registerReconciler(tenancyReconciler);
    registerReconciler(computeReconciler);
    reconciler = await startReconciler(db, () => getCloud().regionNames());
  }

  let server: ReturnType<typeof createServer> | null = null;
  if (env.CIRRUS_ROLE !== "worker") {
    const next = (await import("next")).default;
    const app = next({ dev, dir: path.resolve("."), hostname: "localhost", port: env.PORT });
    await app.prepare();
    const handleNext = app.getRequestHandler();
    const trpc = createHTTPHandler({
      router: appRouter,
      basePath: "/api/trpc/",
      createContext: ({ req }) => createContext(req),
      onError: ({ error, path: p }) => {
        if (error.code === "INTERNAL_SERVER_ERROR") log.error("tRPC error", { path: p, error });
      },
    });
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      // Only the server says where a request came from: Auth.js reads this for the login rate limit.
      req.headers["x-cirrus-client-ip"] = clientIp(req) ?? "";
      const url = req.url ?? "/";
      if (url.startsWith("/api/trpc/")) return void trpc(req, res);
      // The activity-log export streams a file, so it has its own route in front of the JSON REST adapter.
      if (REST.test(url))
        return void (isAuditExport(url)
          ? handleAuditExport(req, res)
          : isImageUpload(url)
            ? handleImageUpload(req, res)
            : handleRest(req, res));
      if (url === "/api/openapi.json") {
        try {
          const doc = JSON.stringify(openApiDocument());
          res.setHeader("Content-Type", "application/json");
          return void res.end(doc);
        } catch (e) {
          log.error("the OpenAPI document could not be generated", { error: e });
          res.statusCode = 500;
          res.setHeader("Content-Type", "application/problem+json");
          return void res.end(
            JSON.stringify({
              title: "Internal error",
              status: 500,
              detail: "The API description could not be generated",
            }),
          );
        }
      }
      if (url === "/api/docs" || url === "/api/docs/") {
        res.setHeader("Content-Type", "text/html; charset=utf-8");
        return void res.end(docsHtml());
      }
      return void handleNext(req, res);
    });
    // Keep idle connections longer than clients and load balancers do (Node's default is 5 s): a
    // client reusing a socket the server is just closing gets ECONNRESET.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    const upgrade = app.getUpgradeHandler();
    server.on("upgrade", (req, socket, head) => void upgrade(req, socket, head));
    await new Promise<void>((resolve) => server!.listen(env.PORT, env.HOST, resolve));
    const url = `http://localhost:${env.PORT}`;
    process.stdout.write(
      `\n  Cirrus is running at ${url}\n` +
        (boot.demo
          ? `  Sign in as admin@acme.example (or ops@cirrus.example) with the password ${env.CIRRUS_DEMO_PASSWORD === "cirrus-demo" ? "cirrus-demo" : "from CIRRUS_DEMO_PASSWORD"}\n`
          : "") +
        `  Cloud: ${cloud.description}\n  API reference: ${url}/api/docs\n\n`,
    );
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("stopping", { signal });
    server?.close();
    await reconciler?.stop();
    await worker?.stop();
    await stopBoss();
    await cloud.stop();
    await boot.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((e: unknown) => {
  log.error("start-up failed", { error: e });
  process.exit(1);
});
