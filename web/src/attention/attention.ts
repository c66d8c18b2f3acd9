// What a session needs from its person, as the server reports it (SessionInfo.attention).
import { isLive, type SessionInfo } from "../api/types";

export type Attention = "working" | "needs_input" | "idle";

/** One change on GET /v1/sessions/events (event "attention"). */
export interface AttentionEvent {
  session_id: string;
  attention?: Attention | null;
  attention_since?: string | null;
}

const WORDS: Record<Attention, string> = { needs_input: "Needs you", idle: "Waiting", working: "Working" };

/** The word shown for a state; undefined for none or a value this dashboard does not know. */
export const attentionWord = (attention: string | null | undefined): string | undefined =>
  attention && Object.hasOwn(WORDS, attention) ? WORDS[attention as Attention] : undefined;

export const needsYou = (s: SessionInfo): boolean => isLive(s) && s.attention === "needs_input";

/** Live sessions that need their person first (longest waiting first), then the other live ones, then the rest, in the order given. */
export function orderByAttention(sessions: SessionInfo[]): SessionInfo[] {
  const waiting = sessions.filter(needsYou)
    .sort((a, b) => (a.attention_since ?? "").localeCompare(b.attention_since ?? ""));
  return [...waiting, ...sessions.filter(s => isLive(s) && !needsYou(s)), ...sessions.filter(s => !isLive(s))];
}

/** The page title with how many sessions need their person in front, so a background tab shows it. */
export function titleWithCount(base: string, count: number): string {
  return count > 0 ? `(${count}) Needs you · ${base}` : base;
}

/** Applies a change to a list of sessions; returns the new list, or undefined when no session in it changed. */
export function applyAttention(sessions: SessionInfo[], change: AttentionEvent): SessionInfo[] | undefined {
  const index = sessions.findIndex(s => s.session_id === change.session_id);
  if (index < 0) return undefined;
  const updated: SessionInfo = { ...sessions[index], attention: change.attention ?? undefined, attention_since: change.attention_since ?? undefined };
  return sessions.map((s, i) => (i === index ? updated : s));
}

/** Reads one event's data; undefined for anything that is not a well-formed change. */
export function parseAttentionEvent(data: string): AttentionEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { session_id, attention, attention_since } = value as Record<string, unknown>;
  if (typeof session_id !== "string") return undefined;
  if (attention != null && attentionWord(attention as string) === undefined) return undefined;
  if (attention_since != null && typeof attention_since !== "string") return undefined;
  return { session_id, attention: (attention as Attention | null | undefined) ?? null, attention_since: (attention_since as string | null | undefined) ?? null };
}
