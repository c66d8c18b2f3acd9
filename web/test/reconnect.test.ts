import { describe, expect, it } from "vitest";
import {
  REPLACED_REASON, backoffMs, canRetry, describeLink, initialLinkState, nextLinkState,
  type LinkEffect, type LinkEvent, type LinkState,
} from "../src/terminal/reconnect";

function run(events: LinkEvent[], from: LinkState = initialLinkState): { state: LinkState; effects: LinkEffect[] } {
  let state = from;
  let effects: LinkEffect[] = [];
  for (const event of events) ({ state, effects } = nextLinkState(state, event));
  return { state, effects };
}

const connected: LinkEvent[] = [{ type: "start" }, { type: "open" }, { type: "ready" }];

describe("reconnect state machine", () => {
  it("starts by connecting, and is connected once the socket opens", () => {
    expect(run([{ type: "start" }])).toEqual({
      state: { status: "connecting", attempt: 0 },
      effects: [{ type: "cancelRetry" }, { type: "close" }, { type: "connect" }],
    });
    expect(describeLink(run(connected).state)).toBe("Connected");
    expect(describeLink(run([{ type: "start" }]).state)).toBe("Connecting…");
  });

  it("never reconnects by itself after being replaced", () => {
    const { state, effects } = run([...connected, { type: "close", code: 1008, reason: REPLACED_REASON }]);
    expect(state).toMatchObject({ status: "disconnected", reason: { kind: "replaced" }, retryInMs: null });
    expect(effects).toEqual([]);
    expect(describeLink(state)).toBe("Connection replaced by another client");
    expect(run([{ type: "online" }, { type: "sessionRunning" }, { type: "retryDue" }], state).state).toEqual(state);
  });

  it("asks whether the session still runs after an unexplained close, then backs off 1, 2, 4 s", () => {
    let { state, effects } = run([...connected, { type: "close", code: 1006, reason: "" }]);
    expect(state).toMatchObject({ status: "disconnected", reason: { kind: "network" }, retryInMs: null });
    expect(effects).toEqual([{ type: "checkSession" }]);
    expect(describeLink(state)).toBe("Network connection lost");

    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      ({ state, effects } = nextLinkState(state, { type: "sessionRunning" }));
      delays.push((effects[0] as { delayMs: number }).delayMs);
      ({ state, effects } = nextLinkState(state, { type: "retryDue" }));
      expect(state.status).toBe("connecting");
      expect(effects).toEqual([{ type: "connect" }]);
      ({ state, effects } = nextLinkState(state, { type: "close", code: 1006, reason: "" }));
    }
    expect(delays).toEqual([1000, 2000, 4000]);
  });

  it("resets the backoff once a connection reaches ready", () => {
    let { state } = run([...connected, { type: "close", code: 1006, reason: "" }, { type: "sessionRunning" }, { type: "retryDue" }]);
    expect(state).toMatchObject({ attempt: 1 });
    ({ state } = run([{ type: "open" }, { type: "ready" }, { type: "close", code: 1006, reason: "" }], state));
    expect(nextLinkState(state, { type: "sessionRunning" }).effects).toEqual([{ type: "scheduleRetry", delayMs: 1000 }]);
  });

  it("caps the backoff at 30 s", () => {
    expect([0, 1, 4, 5, 6, 50].map(backoffMs)).toEqual([1000, 2000, 16000, 30000, 30000, 30000]);
  });

  it("says Session stopped when the server reports the session ended", () => {
    const { state, effects } = run([...connected, { type: "close", code: 1006, reason: "" }, { type: "sessionEnded", byProgram: false }]);
    expect(describeLink(state)).toBe("Session stopped");
    expect(effects).toContainEqual({ type: "cancelRetry" });
    expect(run([{ type: "online" }, { type: "retryDue" }], state).state).toEqual(state);
  });

  it("reports the exit code and closes, without reconnecting", () => {
    const { state, effects } = run([...connected, { type: "exit", code: 3 }]);
    expect(describeLink(state)).toBe("Process exited with code 3");
    expect(effects).toEqual([{ type: "close" }, { type: "checkSession" }]);
    const later: LinkEvent[] = [{ type: "sessionRunning" }, { type: "close", code: 1000, reason: "" }, { type: "online" }, { type: "sessionEnded", byProgram: true }];
    expect(run(later, state).state).toEqual(state);
    expect(describeLink(run([...connected, { type: "exit", signal: "SIGKILL" }]).state)).toBe("Process was killed by SIGKILL");
  });

  it("says Session stopped when the exit came from stopping the session", () => {
    const { state } = run([...connected, { type: "exit", code: 129 }, { type: "sessionEnded", byProgram: false }]);
    expect(describeLink(state)).toBe("Session stopped");
  });

  it("times out, closes and checks the session, then retries by itself", () => {
    let { state, effects } = run([...connected, { type: "timeout" }]);
    expect(describeLink(state)).toBe("Connection timeout");
    expect(effects).toEqual([{ type: "close" }, { type: "checkSession" }]);
    ({ state, effects } = nextLinkState(state, { type: "close", code: 1000, reason: "" }));
    expect(effects).toEqual([]);
    ({ state, effects } = nextLinkState(state, { type: "sessionRunning" }));
    expect(effects).toEqual([{ type: "scheduleRetry", delayMs: 1000 }]);
    expect(describeLink(state)).toBe("Connection timeout");
  });

  it("waits for the network to come back, then reconnects at once", () => {
    let { state, effects } = run([...connected, { type: "offline" }]);
    expect(state).toMatchObject({ status: "disconnected", reason: { kind: "network" }, retryInMs: null });
    expect(effects).toEqual([{ type: "close" }]);
    ({ state, effects } = nextLinkState(state, { type: "online" }));
    expect(state.status).toBe("connecting");
    expect(effects).toEqual([{ type: "cancelRetry" }, { type: "connect" }]);
  });

  it("cancels a scheduled retry while offline", () => {
    const { state, effects } = run([...connected, { type: "close", code: 1006, reason: "" }, { type: "sessionRunning" }, { type: "offline" }]);
    expect(state).toMatchObject({ retryInMs: null });
    expect(effects).toEqual([{ type: "cancelRetry" }]);
  });

  it("connects again when the person presses Retry, whatever the reason", () => {
    const replaced = run([...connected, { type: "close", code: 1008, reason: REPLACED_REASON }]).state;
    expect(nextLinkState(replaced, { type: "retry" })).toEqual({
      state: { status: "connecting", attempt: 0 },
      effects: [{ type: "cancelRetry" }, { type: "close" }, { type: "connect" }],
    });
  });

  it("treats a 1008 with another reason as an ordinary loss", () => {
    expect(run([...connected, { type: "close", code: 1008, reason: "policy" }]).effects).toEqual([{ type: "checkSession" }]);
  });

  it("shows a refusal in words and does not retry", () => {
    const { state } = run([{ type: "start" }, { type: "refused", message: "Not allowed." }, { type: "online" }]);
    expect(describeLink(state)).toBe("Not allowed.");
    expect(state).toMatchObject({ retryInMs: null });
  });

  it("ignores events that arrive after stop", () => {
    const stopped = run([...connected, { type: "stop" }]);
    expect(stopped.effects).toEqual([{ type: "cancelRetry" }, { type: "close" }]);
    const later: LinkEvent[] = [{ type: "close", code: 1006, reason: "" }, { type: "exit", code: 0 }, { type: "sessionEnded", byProgram: false }, { type: "timeout" }, { type: "retryDue" }];
    expect(run(later, stopped.state).state).toEqual({ status: "idle" });
  });

  it("says a deleted or unknown session is gone, never retries, and offers no Retry", () => {
    const message = "No session 'gone-cat-0001'.";
    const { state, effects } = run([{ type: "start" }, { type: "sessionMissing", message }]);
    expect(state).toMatchObject({ status: "disconnected", reason: { kind: "missing", message }, retryInMs: null });
    expect(effects).toEqual([{ type: "cancelRetry" }, { type: "close" }]);
    expect(describeLink(state)).toBe(message);
    expect(run([{ type: "online" }, { type: "sessionRunning" }, { type: "retryDue" }], state).state).toEqual(state);
  });

  it("offers Retry only where it can succeed", () => {
    expect(canRetry({ kind: "network" })).toBe(true);
    expect(canRetry({ kind: "timeout" })).toBe(true);
    expect(canRetry({ kind: "replaced" })).toBe(true);
    expect(canRetry({ kind: "refused", message: "no" })).toBe(true);
    expect(canRetry({ kind: "stopped" })).toBe(false);
    expect(canRetry({ kind: "exited", code: 3 })).toBe(false);
    expect(canRetry({ kind: "missing", message: "gone" })).toBe(false);
  });
});
