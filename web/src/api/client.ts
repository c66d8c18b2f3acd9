import type { AgentInfo, CreatedSession, Download, Me, PushSubscriptionInfo, RegionInfo, SessionInfo, Ticket } from "./types";

/** An answer in the API's one error shape, {"error", "message"}, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** Where an expired or missing sign-in leads: the server's sign-in page, coming back here afterwards. */
export function signInUrl(location: Pick<Location, "pathname" | "search">): string {
  return `/signin?return_to=${encodeURIComponent(location.pathname + location.search)}`;
}

/**
 * The /v1 calls of the dashboard. The browser's sign-in cookie authenticates them; state changes carry
 * the CSRF token from /v1/auth/me. A 401 anywhere means the sign-in expired: back to the sign-in page.
 */
export class Api {
  private csrf = "";

  constructor(private readonly onSignedOut: () => void = () => location.assign(signInUrl(location))) {}

  async me(): Promise<Me> {
    const me = await this.call<Me>("GET", "/v1/auth/me");
    this.csrf = me.csrf_token;
    return me;
  }

  sessions = (): Promise<SessionInfo[]> => this.call("GET", "/v1/sessions");
  session = (idOrLabel: string): Promise<SessionInfo> => this.call("GET", `/v1/sessions/${encodeURIComponent(idOrLabel)}`);
  regions = (): Promise<RegionInfo[]> => this.call("GET", "/v1/regions");
  agents = (): Promise<AgentInfo[]> => this.call("GET", "/v1/agents");

  create = (body: { agent: string; region: string; ttl_sec: number }): Promise<CreatedSession> =>
    this.call("POST", "/v1/sessions", body);

  stop = (idOrLabel: string): Promise<void> => this.call("POST", `/v1/sessions/${encodeURIComponent(idOrLabel)}/stop`);
  /** Stops (when running) and drops the session with its snapshots. */
  remove = (idOrLabel: string): Promise<SessionInfo> => this.call("POST", `/v1/sessions/${encodeURIComponent(idOrLabel)}/stop?delete=true`);
  extend = (idOrLabel: string, ttlSec: number): Promise<SessionInfo> =>
    this.call("POST", `/v1/sessions/${encodeURIComponent(idOrLabel)}/extend`, { ttl_sec: ttlSec });
  /** Starts a stopped session again in a new machine from its newest snapshot; answers the new session. */
  resume = (idOrLabel: string): Promise<SessionInfo> => this.call("POST", `/v1/sessions/${encodeURIComponent(idOrLabel)}/resume`);
  download = (idOrLabel: string): Promise<Download> => this.call("GET", `/v1/sessions/${encodeURIComponent(idOrLabel)}/download`);
  /** The session's saved terminal output, as the bytes the program wrote. */
  logs = (idOrLabel: string): Promise<Uint8Array> => this.bytes(`/v1/sessions/${encodeURIComponent(idOrLabel)}/logs`);
  ticket = (idOrLabel: string): Promise<Ticket> => this.call("POST", `/v1/sessions/${encodeURIComponent(idOrLabel)}/ticket`);
  logout = (): Promise<{ message: string; logout_url: string }> => this.call("POST", "/v1/auth/logout");

  /** The server's VAPID public key, base64url. */
  pushKey = (): Promise<{ public_key: string }> => this.call("GET", "/v1/push/key");
  pushSubscriptions = (): Promise<PushSubscriptionInfo[]> => this.call("GET", "/v1/push/subscriptions");
  /** Adds this browser's PushSubscription (or updates its keys and events). */
  subscribePush = (subscription: PushSubscriptionJSON, events: string[]): Promise<PushSubscriptionInfo> =>
    this.call("POST", "/v1/push/subscriptions", { endpoint: subscription.endpoint, keys: subscription.keys, events });
  unsubscribePush = (endpoint: string): Promise<void> =>
    this.call("DELETE", `/v1/push/subscriptions?endpoint=${encodeURIComponent(endpoint)}`);
  /** This page shows the session (null: none) and whether it is visible; no push goes out about a session shown visibly. */
  presence = (page: string, session: string | null, visible: boolean): Promise<void> =>
    this.call("POST", "/v1/push/presence", { page, session, visible });

  private async bytes(path: string): Promise<Uint8Array> {
    let response: Response;
    try {
      response = await fetch(path, { credentials: "same-origin", cache: "no-store" });
    } catch {
      throw new ApiError(0, "network", "The server could not be reached. Check the connection and try again.");
    }
    if (response.status === 401) {
      this.onSignedOut();
      throw new ApiError(401, "unauthorized", "Your sign-in has expired.");
    }
    if (!response.ok) throw await errorOf(response);
    return new Uint8Array(await response.arrayBuffer());
  }

  private async call<T>(method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (method !== "GET") headers["X-CSRF-Token"] = this.csrf;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response: Response;
    try {
      response = await fetch(path, {
        method, headers, credentials: "same-origin", cache: "no-store",
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, "network", "The server could not be reached. Check the connection and try again.");
    }
    if (response.status === 401) {
      this.onSignedOut();
      throw new ApiError(401, "unauthorized", "Your sign-in has expired.");
    }
    if (!response.ok) throw await errorOf(response);
    if (response.status === 204 || response.headers.get("Content-Length") === "0") return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

/**
 * Refusals whose server words speak to a developer (headers, endpoints): said to the person instead, with what
 * to do. Both mean this page's credentials for changes are missing or stale, which a reload renews.
 */
const PLAIN_WORDS: Record<string, string> = {
  csrf_failed: "The server refused this change: the page's security token is missing or out of date. Reload the page and try again.",
  forbidden_origin: "The server refused this request: it did not come from this server's own page. Reload the page and try again.",
};

export async function errorOf(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: string; message?: string };
    if (typeof body.error === "string") return new ApiError(response.status, body.error, PLAIN_WORDS[body.error] ?? body.message ?? body.error);
  } catch {
    // Not the error shape (a proxy's page): fall through to the status line.
  }
  return new ApiError(response.status, "http_" + response.status, `The server answered ${response.status} ${response.statusText}.`);
}
