import type { SessionInfo } from "../api/types";

const STATUS_WORDS: Record<string, string> = { stopped: "Stopped", timed_out: "Timed out", failed: "Failed" };

/** Stop reasons worth a word on the row: a session limit ended it, which the person did not ask for. */
const LIMIT_WORDS: Record<string, string> = { out_of_memory: "out of memory", disk_full: "disk full" };

/** A stopped row's status in words: "Stopped", "Timed out", or "Stopped: out of memory" when a limit ended it. */
export function stoppedStatus(session: Pick<SessionInfo, "status" | "stop_reason">): string {
  const status = STATUS_WORDS[session.status] ?? session.status;
  const limit = session.stop_reason ? LIMIT_WORDS[session.stop_reason] : undefined;
  return limit ? `${status}: ${limit}` : status;
}
