import { describe, expect, it } from "vitest";
import { AppError } from "../../errors";
import { mapTransportError, mapUpstreamResponse, parseUpstreamBody, wasNotSent } from "./upstream-errors";

const GLANCE_404 = `<html>
 <head>
  <title>404 Not Found</title>
 </head>
 <body>
  <h1>404 Not Found</h1>
  No image found with ID 5b0a4bdb-0000-0000-0000-000000000000<br /><br />


 </body>
</html>`;

const WEBOB_400 =
  "400 Bad Request\n\nThe server could not comply with the request since it is either malformed or otherwise incorrect.\n\n Invalid input for field/attribute cidr.  \n\n";

describe("parseUpstreamBody", () => {
  it.each([
    [
      "Nova",
      JSON.stringify({ itemNotFound: { code: 404, message: "Instance x could not be found." } }),
      "application/json",
      "Instance x could not be found.",
      "itemNotFound",
    ],
    [
      "Neutron",
      JSON.stringify({
        NeutronError: { type: "NetworkNotFound", message: "Network y could not be found.", detail: "" },
      }),
      "application/json",
      "Network y could not be found.",
      "NetworkNotFound",
    ],
    [
      "Keystone",
      JSON.stringify({
        error: { code: 409, message: "Conflict occurred attempting to store project.", title: "Conflict" },
      }),
      "application/json",
      "Conflict occurred attempting to store project.",
      "Conflict",
    ],
    [
      "Cinder",
      JSON.stringify({ badRequest: { code: 400, message: "Invalid input received: size must be > 0" } }),
      "application/json",
      "Invalid input received: size must be > 0",
      "badRequest",
    ],
    [
      "Octavia",
      JSON.stringify({ faultcode: "Client", faultstring: "Load Balancer z not found.", debuginfo: null }),
      "application/json",
      "Load Balancer z not found.",
      undefined,
    ],
    [
      "Placement",
      JSON.stringify({
        errors: [
          {
            status: 404,
            title: "Not Found",
            detail: "No resource provider with uuid q found",
            code: "placement.undefined_code",
          },
        ],
      }),
      "application/json",
      "No resource provider with uuid q found",
      undefined,
    ],
    [
      "Prometheus",
      JSON.stringify({ status: "error", errorType: "bad_data", error: "parse error" }),
      "application/json",
      "parse error",
      undefined,
    ],
    [
      "Glance HTML",
      GLANCE_404,
      "text/html; charset=UTF-8",
      "No image found with ID 5b0a4bdb-0000-0000-0000-000000000000",
      undefined,
    ],
    [
      "Glance JSON",
      JSON.stringify({
        message: "No image found with ID abc<br /><br />\n\n\n",
        code: "404 Not Found",
        title: "Not Found",
      }),
      "application/json",
      "No image found with ID abc",
      undefined,
    ],
    [
      "Python repr",
      JSON.stringify({ badRequest: { message: "Invalid input: <class 'str'> is not a number" } }),
      "application/json",
      "Invalid input: <class 'str'> is not a number",
      "badRequest",
    ],
    ["webob text", WEBOB_400, "text/plain", "Invalid input for field/attribute cidr.", undefined],
  ])("reads %s bodies", (_svc, body, contentType, message, type) => {
    const parsed = parseUpstreamBody(body, contentType);
    expect(parsed.message).toBe(message);
    expect(parsed.type).toBe(type);
  });

  it("gives nothing for an empty body", () => {
    expect(parseUpstreamBody("", "application/json")).toEqual({});
  });
});

const call = { service: "compute", method: "POST", path: "/v2.1/servers", region: "r1" };

describe("mapUpstreamResponse", () => {
  it.each([
    [
      400,
      { badRequest: { message: "Invalid flavorRef provided." } },
      null,
      "INVALID_INPUT",
      "Invalid flavorRef provided.",
      false,
    ],
    [
      401,
      { error: { message: "The request you have made requires authentication." } },
      null,
      "FORBIDDEN",
      "The request you have made requires authentication.",
      false,
    ],
    [
      403,
      { forbidden: { message: "Policy doesn't allow os_compute_api:servers:create to be performed." } },
      null,
      "FORBIDDEN",
      "Policy doesn't allow os_compute_api:servers:create to be performed.",
      false,
    ],
    [
      403,
      { forbidden: { message: "Quota exceeded for cores: Requested 8, but already used 18 of 20 cores" } },
      null,
      "QUOTA_EXCEEDED",
      "Quota exceeded for cores: Requested 8, but already used 18 of 20 cores",
      false,
    ],
    [
      404,
      { itemNotFound: { message: "Flavor 9 could not be found." } },
      null,
      "NOT_FOUND",
      "Flavor 9 could not be found.",
      false,
    ],
    [
      409,
      { conflictingRequest: { message: "Cannot 'stop' instance a while it is in vm_state stopped" } },
      null,
      "CONFLICT",
      "Cannot 'stop' instance a while it is in vm_state stopped",
      false,
    ],
    [
      409,
      {
        conflictingRequest: { message: "Cannot 'reboot' instance a while it is in task_state powering-off" },
      },
      null,
      "CONFLICT",
      "Cannot 'reboot' instance a while it is in task_state powering-off",
      true,
    ],
    [
      409,
      { conflictingRequest: { message: "Key pair 'k' already exists." } },
      null,
      "CONFLICT",
      "Key pair 'k' already exists.",
      false,
    ],
    [
      409,
      {
        NeutronError: {
          type: "OverQuota",
          message: "Quota exceeded for resources: ['floatingip'].",
          detail: "",
        },
      },
      null,
      "QUOTA_EXCEEDED",
      "Quota exceeded for resources: ['floatingip'].",
      false,
    ],
    [
      413,
      {
        overLimit: {
          code: 413,
          message:
            "VolumeLimitExceeded: Maximum number of volumes allowed (10) exceeded for quota 'volumes'.",
        },
      },
      null,
      "QUOTA_EXCEEDED",
      "VolumeLimitExceeded: Maximum number of volumes allowed (10) exceeded for quota 'volumes'.",
      false,
    ],
    [
      413,
      { overLimit: { message: "This request was rate-limited." } },
      "30",
      "RATE_LIMITED",
      "This request was rate-limited.",
      true,
    ],
    [429, {}, "5", "RATE_LIMITED", "The compute service answered HTTP 429", true],
    [
      500,
      { computeFault: { message: "Unexpected API Error." } },
      null,
      "UPSTREAM_UNAVAILABLE",
      "Unexpected API Error.",
      true,
    ],
    [
      501,
      { notImplemented: { message: "Unable to get rdp console, functionality not implemented" } },
      null,
      "UPSTREAM_ERROR",
      "Unable to get rdp console, functionality not implemented",
      false,
    ],
    [
      503,
      "",
      null,
      "UPSTREAM_UNAVAILABLE",
      "The compute service is unavailable (HTTP 503); try again shortly",
      true,
    ],
    [504, "", null, "UPSTREAM_TIMEOUT", "The compute service timed out (HTTP 504)", true],
  ])("HTTP %i %j → %s", (status, body, retryAfter, code, message, transient) => {
    const err = mapUpstreamResponse({
      ...call,
      status,
      body: typeof body === "string" ? body : JSON.stringify(body),
      contentType: "application/json",
      requestId: "req-1",
      retryAfter,
    });
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe(code);
    expect(err.message).toBe(message);
    expect(err.transient).toBe(transient);
    expect(err.details).toMatchObject({
      service: "compute",
      status,
      upstreamRequestId: "req-1",
      region: "r1",
      method: "POST",
    });
  });
});

describe("mapTransportError", () => {
  const refused = Object.assign(new TypeError("fetch failed"), {
    cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
  });
  const reset = Object.assign(new TypeError("fetch failed"), {
    cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
  });

  it("maps refused connections to UPSTREAM_UNAVAILABLE, known to be unsent", () => {
    const e = mapTransportError(refused, call);
    expect(e.code).toBe("UPSTREAM_UNAVAILABLE");
    expect(e.transient).toBe(true);
    expect(e.details?.errno).toBe("ECONNREFUSED");
    expect(wasNotSent(e)).toBe(true);
  });

  it("does not call a reset connection unsent (the server may have acted)", () => {
    const e = mapTransportError(reset, call);
    expect(e.code).toBe("UPSTREAM_UNAVAILABLE");
    expect(wasNotSent(e)).toBe(false);
  });

  it("maps our own timeout to UPSTREAM_TIMEOUT", () => {
    const e = mapTransportError(new Error("cancelled"), call, { timedOut: true, timeoutMs: 2000 });
    expect(e.code).toBe("UPSTREAM_TIMEOUT");
    expect(e.message).toBe("The compute service did not answer within 2 s");
  });

  it("maps TLS failures to a non-transient UPSTREAM_ERROR", () => {
    const tls = Object.assign(new TypeError("fetch failed"), {
      cause: Object.assign(new Error("self signed"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" }),
    });
    const e = mapTransportError(tls, call);
    expect(e.code).toBe("UPSTREAM_ERROR");
    expect(e.transient).toBe(false);
  });
});
