// What every simulated service module gets: the shared state, the transition scheduler, the
// image blob store and the options; and the contract a service module implements.
import type { ApiError, SimRequest, SimResponse } from "./http";
import type { Scheduler } from "./scheduler";
import type { BlobStore, Store } from "./state";
import type { DelayName } from "./topology";

export interface SimCore {
  readonly fast: boolean;
  readonly adminPassword: string;
  readonly dataDir: string | null;
  readonly regions: readonly string[];
  /** http://127.0.0.1:PORT once listening. */
  baseUrl: string;
  readonly store: Store;
  readonly scheduler: Scheduler;
  readonly blobs: BlobStore;
  delay(name: DelayName): number;
}

export interface CatalogEntry {
  type: string;
  name: string;
  /** Endpoint URL; "%(project_id)s" is substituted by Keystone for project-scoped tokens. */
  url(baseUrl: string, region: string): string;
}

export interface ServiceCall {
  core: SimCore;
  /** Region name, or "" for the global identity service. */
  region: string;
  req: SimRequest;
  /** Absolute URL of the service mount point, e.g. http://127.0.0.1:8790/region-one/compute. */
  root: string;
}

export interface SimService {
  /** Name used by fault rules and the request log ("compute", "network", ...). */
  name: string;
  /** Path segment below /<region>/ (or below / for a global service). */
  mount: string;
  global: boolean;
  catalog: CatalogEntry[];
  handle(call: ServiceCall): Promise<SimResponse>;
  /** Renders an error in the service's own body format. */
  renderError(err: ApiError, call: ServiceCall): SimResponse;
}
