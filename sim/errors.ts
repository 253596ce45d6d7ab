// Error bodies in each service's own wire format. Clients parse these (novaclient reads the
// single top-level key, openstacksdk reads NeutronError.message), so the shapes must be exact.
import { STATUS_CODES } from "node:http";
import type { SimResponse } from "./http";

const FAULT_NAMES: Record<number, string> = {
  400: "badRequest",
  401: "unauthorized",
  403: "forbidden",
  404: "itemNotFound",
  405: "badMethod",
  409: "conflictingRequest",
  413: "overLimit",
  415: "badMediaType",
  429: "overLimit",
  501: "notImplemented",
  503: "serviceUnavailable",
};

/** Nova and Cinder: {"itemNotFound": {"code": 404, "message": "..."}}. */
export function faultBody(status: number, message: string): SimResponse {
  const name = FAULT_NAMES[status] ?? "computeFault";
  return { status, body: { [name]: { code: status, message } } };
}

/** Keystone: {"error": {"code", "message", "title"}}. */
export function keystoneBody(status: number, message: string, title?: string): SimResponse {
  return {
    status,
    body: { error: { code: status, message, title: title ?? STATUS_CODES[status] ?? "Error" } },
  };
}

/** keystonemiddleware's answer when a service call carries no valid token. */
export function unauthorizedBody(authUri: string): SimResponse {
  return {
    status: 401,
    headers: { "WWW-Authenticate": `Keystone uri="${authUri}"` },
    body: {
      error: {
        code: 401,
        title: "Unauthorized",
        message: "The request you have made requires authentication.",
      },
    },
  };
}

const NEUTRON_DEFAULT_TYPES: Record<number, string> = {
  400: "HTTPBadRequest",
  403: "HTTPForbidden",
  404: "HTTPNotFound",
  405: "HTTPMethodNotAllowed",
  409: "HTTPConflict",
  500: "HTTPInternalServerError",
  503: "HTTPServiceUnavailable",
};

/** Neutron: {"NeutronError": {"type", "message", "detail"}}. */
export function neutronBody(status: number, message: string, type?: string): SimResponse {
  return {
    status,
    body: {
      NeutronError: {
        type: type ?? NEUTRON_DEFAULT_TYPES[status] ?? "NeutronException",
        message,
        detail: "",
      },
    },
  };
}

/** Glance answers with webob's plain error page: "404 Not Found\n\n<message>\n\n   ". */
export function glanceBody(status: number, message: string, acceptJson: boolean): SimResponse {
  const reason = STATUS_CODES[status] ?? "Error";
  if (acceptJson) {
    return {
      status,
      body: { message: `${message}<br /><br />\n\n\n`, code: `${status} ${reason}`, title: reason },
    };
  }
  return {
    status,
    headers: { "Content-Type": "text/plain; charset=UTF-8" },
    body: `${status} ${reason}\n\n${message}\n\n   `,
  };
}

/** Prometheus: {"status": "error", "errorType": "bad_data", "error": "..."}. */
export function prometheusBody(status: number, message: string, errorType?: string): SimResponse {
  return { status, body: { status: "error", errorType: errorType ?? "bad_data", error: message } };
}
