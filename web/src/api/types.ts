// The /v1 shapes the dashboard reads (snake_case, as the server sends them).

export interface SessionInfo {
  session_id: string;
  label: string;
  region: string;
  status: "starting" | "running" | "stopped" | "timed_out" | "failed";
  created_at: string;
  machine_state: string;
  agent?: string;
  stop_reason?: string;
  exit_code?: number;
  expires_at?: string;
  stopped_at?: string;
  resumed_from?: string;
  /** What the session needs from its person while it runs: "working", "needs_input" or "idle". */
  attention?: "working" | "needs_input" | "idle";
  attention_since?: string;
}

export interface RegionInfo { id: string; name: string; runtime: string }

export interface AgentInfo { name: string; installed: boolean }

export interface Me {
  user: { id: string; email: string; display_name?: string; role?: string };
  csrf_token: string;
}

export interface Download { download_url: string; size_bytes: number }

export interface CreatedSession { session_id: string; label: string }

export interface Ticket { ticket: string; expires_in: number; connect_url: string }

export const isLive = (s: SessionInfo): boolean => s.status === "running" || s.status === "starting";

/** One of the person's push subscriptions (GET /v1/push/subscriptions). */
export interface PushSubscriptionInfo {
  endpoint: string;
  events: string[];
  created_at: string;
  last_attempt_at?: string;
  last_outcome?: string;
  last_status?: number;
  last_delivered_at?: string;
}
