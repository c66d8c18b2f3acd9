import { ApiError } from "../api/client";

/** A failed create in words: a headline a person understands, then the server's own detail. */
export function describeCreateError(error: unknown): { title: string; detail: string } {
  if (!(error instanceof ApiError)) return { title: "Could not start the session", detail: String(error) };
  switch (error.code) {
    case "quota_exceeded":
    case "too_many_sessions":
      return { title: "Session limit reached", detail: `${error.message} Stop a running session and try again.` };
    case "host_full":
      return { title: "Server full", detail: error.message };
    case "agent_not_installed":
      return { title: "Agent not installed", detail: error.message };
    case "invalid_agent":
      return { title: "Unknown agent", detail: error.message };
    case "invalid_region":
    case "region_unavailable":
    case "session_failed":
      return { title: "Region unavailable", detail: error.message };
    case "rate_limited":
      return { title: "Too many requests", detail: error.message };
    case "network":
      return { title: "Server unreachable", detail: error.message };
    default:
      return { title: "Could not start the session", detail: error.message };
  }
}
