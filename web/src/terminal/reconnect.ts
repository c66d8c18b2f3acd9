// The terminal link's states as a pure function of events, so every path (replaced, timeout, exit,
// stopped, network loss, retry) is decided in one place and unit-tested without a socket or a timer.

export type DisconnectReason =
  | { kind: "replaced" }
  | { kind: "timeout" }
  | { kind: "exited"; code?: number; signal?: string }
  | { kind: "stopped" }
  | { kind: "network" }
  | { kind: "refused"; message: string }
  /** The session does not exist (never did, or was deleted). */
  | { kind: "missing"; message: string };

export type LinkState =
  | { status: "idle" }
  | { status: "connecting"; attempt: number }
  | { status: "connected"; attempt: number }
  /** retryInMs is set while a reconnect is scheduled; null when only the person's Retry reconnects. */
  | { status: "disconnected"; reason: DisconnectReason; retryInMs: number | null; attempt: number };

export type LinkEvent =
  | { type: "start" }
  | { type: "open" }
  | { type: "ready" }
  | { type: "exit"; code?: number; signal?: string }
  | { type: "close"; code: number; reason: string }
  | { type: "timeout" }
  | { type: "offline" }
  | { type: "online" }
  | { type: "sessionRunning" }
  /** byProgram: it ended because its program exited (not stopped by a person, a deadline or inactivity). */
  | { type: "sessionEnded"; byProgram: boolean }
  | { type: "refused"; message: string }
  | { type: "sessionMissing"; message: string }
  | { type: "retryDue" }
  | { type: "retry" }
  | { type: "stop" };

export type LinkEffect =
  | { type: "connect" }
  | { type: "close" }
  | { type: "checkSession" }
  | { type: "scheduleRetry"; delayMs: number }
  | { type: "cancelRetry" };

export interface Transition { state: LinkState; effects: LinkEffect[] }

/** The agent closes a replaced driver with 1008 and this reason (docs/DESIGN.md, terminal WebSocket). */
export const REPLACED_REASON = "Connection replaced by another client";
export const IDLE_TIMEOUT_MS = 75_000;
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

/** 1 s, 2 s, 4 s … capped at 30 s. */
export const backoffMs = (attempt: number): number => Math.min(FIRST_RETRY_MS * 2 ** Math.min(attempt, 15), MAX_RETRY_MS);

export const initialLinkState: LinkState = { status: "idle" };

const attemptOf = (state: LinkState): number => ("attempt" in state ? state.attempt : 0);
const live = (state: LinkState): boolean => state.status === "connecting" || state.status === "connected";
const same = (state: LinkState): Transition => ({ state, effects: [] });

const lost = (state: LinkState, reason: DisconnectReason, effects: LinkEffect[]): Transition => ({
  state: { status: "disconnected", reason, retryInMs: null, attempt: attemptOf(state) },
  effects,
});

export function nextLinkState(state: LinkState, event: LinkEvent): Transition {
  switch (event.type) {
    case "start":
    case "retry":
      return { state: { status: "connecting", attempt: 0 }, effects: [{ type: "cancelRetry" }, { type: "close" }, { type: "connect" }] };
    case "stop":
      return { state: { status: "idle" }, effects: [{ type: "cancelRetry" }, { type: "close" }] };
    case "open":
      return state.status === "connecting" ? same({ status: "connected", attempt: state.attempt }) : same(state);
    case "ready":
      return state.status === "connected" ? same({ status: "connected", attempt: 0 }) : same(state);
    case "exit":
      // Stopping a session also ends its program (SIGHUP: 129); ask which it was.
      return live(state) ? lost(state, { kind: "exited", code: event.code, signal: event.signal }, [{ type: "close" }, { type: "checkSession" }]) : same(state);
    case "close":
      if (!live(state)) return same(state);
      if (event.code === 1008 && event.reason === REPLACED_REASON) return lost(state, { kind: "replaced" }, []);
      // Dropped without a word: the session may have ended, or the network went away. Ask before retrying.
      return lost(state, { kind: "network" }, [{ type: "checkSession" }]);
    case "timeout":
      return live(state) ? lost(state, { kind: "timeout" }, [{ type: "close" }, { type: "checkSession" }]) : same(state);
    case "offline":
      if (live(state)) return lost(state, { kind: "network" }, [{ type: "close" }]);
      if (state.status === "disconnected" && state.retryInMs !== null) {
        return { state: { ...state, retryInMs: null }, effects: [{ type: "cancelRetry" }] };
      }
      return same(state);
    case "online":
      return state.status === "disconnected" && retriesByItself(state.reason)
        ? { state: { status: "connecting", attempt: state.attempt }, effects: [{ type: "cancelRetry" }, { type: "connect" }] }
        : same(state);
    case "sessionRunning":
      if (state.status !== "disconnected" || !retriesByItself(state.reason) || state.retryInMs !== null) return same(state);
      return {
        state: { ...state, retryInMs: backoffMs(state.attempt), attempt: state.attempt + 1 },
        effects: [{ type: "scheduleRetry", delayMs: backoffMs(state.attempt) }],
      };
    case "sessionEnded":
      if (state.status === "idle") return same(state);
      if (state.status === "disconnected" && state.reason.kind === "exited" && event.byProgram) return same(state);
      return lost(state, { kind: "stopped" }, [{ type: "cancelRetry" }, { type: "close" }]);
    case "refused":
      return state.status === "idle" ? same(state) : lost(state, { kind: "refused", message: event.message }, [{ type: "cancelRetry" }, { type: "close" }]);
    case "sessionMissing":
      return state.status === "idle" ? same(state) : lost(state, { kind: "missing", message: event.message }, [{ type: "cancelRetry" }, { type: "close" }]);
    case "retryDue":
      return state.status === "disconnected" && state.retryInMs !== null
        ? { state: { status: "connecting", attempt: state.attempt }, effects: [{ type: "connect" }] }
        : same(state);
  }
}

/** Network trouble heals by itself; a replaced, exited or stopped session does not. */
const retriesByItself = (reason: DisconnectReason): boolean => reason.kind === "network" || reason.kind === "timeout";

/** Whether Retry can ever succeed: not once the session has ended or is gone. */
export const canRetry = (reason: DisconnectReason): boolean => reason.kind !== "exited" && reason.kind !== "stopped" && reason.kind !== "missing";

/** The words of the status bar. */
export function describeLink(state: LinkState): string {
  switch (state.status) {
    case "idle":
    case "connecting":
      return "Connecting…";
    case "connected":
      return "Connected";
    case "disconnected":
      return describeReason(state.reason);
  }
}

export function describeReason(reason: DisconnectReason): string {
  switch (reason.kind) {
    case "replaced": return REPLACED_REASON;
    case "timeout": return "Connection timeout";
    case "exited":
      return reason.code !== undefined ? `Process exited with code ${reason.code}` : `Process was killed by ${reason.signal ?? "a signal"}`;
    case "stopped": return "Session stopped";
    case "network": return "Network connection lost";
    case "refused": return reason.message;
    case "missing": return reason.message;
  }
}
