import { describe, expect, it } from "vitest";
import { applyAttention, attentionWord, orderByAttention, parseAttentionEvent, titleWithCount } from "../src/attention/attention";
import type { SessionInfo } from "../src/api/types";

const session = (label: string, status: SessionInfo["status"], attention?: SessionInfo["attention"], since?: string): SessionInfo => ({
  session_id: `id-${label}`, label, region: "local", status, created_at: "2026-01-01T00:00:00Z", machine_state: "started",
  attention, attention_since: since,
});

describe("orderByAttention", () => {
  it("puts live sessions that need their person first, longest waiting first, then live, then stopped", () => {
    const sessions = [
      session("a", "running", "working"),
      session("b", "running", "needs_input", "2026-01-01T10:05:00Z"),
      session("c", "stopped", "needs_input"),
      session("d", "starting"),
      session("e", "running", "needs_input", "2026-01-01T10:00:00Z"),
    ];
    expect(orderByAttention(sessions).map(s => s.label)).toEqual(["e", "b", "a", "d", "c"]);
  });
});

describe("titleWithCount", () => {
  it("counts in front only when something needs its person", () => {
    expect(titleWithCount("Sessions · Catty", 0)).toBe("Sessions · Catty");
    expect(titleWithCount("Sessions · Catty", 2)).toBe("(2) Needs you · Sessions · Catty");
  });
});

describe("attentionWord", () => {
  it.each([["needs_input", "Needs you"], ["idle", "Waiting"], ["working", "Working"], [undefined, undefined], ["constructor", undefined], ["<img src=x>", undefined]])(
    "%s is %s", (state, word) => expect(attentionWord(state)).toBe(word));
});

describe("parseAttentionEvent and applyAttention", () => {
  it("applies a change to the one session it names and ignores others", () => {
    const sessions = [session("a", "running", "working"), session("b", "running", "idle")];
    const change = parseAttentionEvent('{"session_id":"id-a","attention":"needs_input","attention_since":"2026-01-01T10:00:00Z"}')!;
    const updated = applyAttention(sessions, change)!;
    expect(updated.map(s => s.attention)).toEqual(["needs_input", "idle"]);
    expect(sessions[0].attention).toBe("working");
    expect(applyAttention(sessions, { session_id: "id-zzz", attention: "idle" })).toBeUndefined();
  });

  it("clears the state of a stopped session", () => {
    const change = parseAttentionEvent('{"session_id":"id-a"}')!;
    expect(applyAttention([session("a", "running", "working", "x")], change)![0]).toMatchObject({ attention: undefined, attention_since: undefined });
  });

  it.each(["not json", "null", "[]", '{"attention":"idle"}', '{"session_id":"x","attention":"<b>hi</b>"}', '{"session_id":"x","attention_since":5}'])(
    "refuses %s", data => expect(parseAttentionEvent(data)).toBeUndefined());
});
