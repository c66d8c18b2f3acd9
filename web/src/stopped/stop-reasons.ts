import type { SessionInfo } from "../api/types";

/**
 * Why a session stopped, in words, by `stop_reason`. A table so that a new reason is one line; a reason
 * this page does not know yet is shown as the server spells it rather than hidden.
 */
const REASONS: Record<string, (session: SessionInfo) => string> = {
  user: () => "Stopped by you",
  duration_elapsed: () => "Timed out: its time ran out",
  inactive: () => "Timed out: idle too long",
  agent_exited: s => (s.exit_code === undefined || s.exit_code === null ? "The program exited" : `The program exited with code ${s.exit_code}`),
  machine_lost: () => "Its machine was lost",
  out_of_memory: () => "Out of memory",
  disk_full: () => "Out of disk space",
};

export function describeStop(session: SessionInfo): string {
  if (session.status === "failed") return "Failed to start";
  const reason = session.stop_reason;
  if (!reason) return session.status === "timed_out" ? "Timed out" : "Stopped";
  return REASONS[reason]?.(session) ?? `Stopped (${reason.replaceAll("_", " ")})`;
}
