import { describe, expect, it } from "vitest";
import { isSessionPath, openSession, parsePushPayload, sessionUrl, type WindowClient, type WindowClients } from "../src/push/notification";
import { keyBytes } from "../src/push/push-control";

describe("push payloads", () => {
  const good = { event: "needs_input", session_id: "0f8e", label: "brave-tiger-1234", title: "brave-tiger-1234 needs you", body: "It asks.", url: "/sessions/brave-tiger-1234" };

  it("reads the server's payload and makes the session path itself", () => {
    expect(parsePushPayload(JSON.stringify({ ...good, url: "https://evil.example/" }))).toEqual({
      event: "needs_input", sessionId: "0f8e", label: "brave-tiger-1234", title: "brave-tiger-1234 needs you", body: "It asks.", url: "/sessions/brave-tiger-1234",
    });
  });

  it("drops what is not one: not JSON, too long, unknown events, missing parts", () => {
    for (const text of [undefined, "", "not json", "[]", "null", JSON.stringify({ ...good, event: "pwned" }), JSON.stringify({ ...good, title: 5 }),
      JSON.stringify({ ...good, label: undefined }), JSON.stringify({ ...good, body: "x".repeat(5000) })]) {
      expect(parsePushPayload(text)).toBeUndefined();
    }
  });

  it("opens only session pages of this dashboard", () => {
    expect(sessionUrl("a/b?c")).toBe("/sessions/a%2Fb%3Fc");
    expect(isSessionPath("/sessions/brave-tiger-1234")).toBe(true);
    for (const path of ["https://evil.example/", "//evil.example/x", "/sessions/a/b", "javascript:alert(1)", "/sessions/\\evil", 5, null]) {
      expect(isSessionPath(path)).toBe(false);
    }
  });

  it("turns the base64url VAPID key into the bytes PushManager takes", () => {
    expect([...keyBytes("BAEC_w")]).toEqual([4, 1, 2, 255]);
  });
});

describe("a tap on a notification", () => {
  type Call = string;
  const window = (url: string, calls: Call[]): WindowClient => ({
    url,
    focus: async function () { calls.push(`focus ${url}`); return this; },
    navigate: async (to: string) => { calls.push(`navigate ${url} -> ${to}`); return window(to, calls); },
  });
  const clients = (urls: string[], calls: Call[]): WindowClients => ({
    matchAll: async () => urls.map(u => window(u, calls)),
    openWindow: async (url: string) => { calls.push(`open ${url}`); return null; },
  });
  const target = "https://catty.test/sessions/brave-tiger-1234";

  it("focuses the window already showing the session", async () => {
    const calls: Call[] = [];
    await openSession(clients(["https://catty.test/", target], calls), target);
    expect(calls).toEqual([`focus ${target}`]);
  });

  it("moves a dashboard window there, or opens one, never using another origin's window", async () => {
    const moved: Call[] = [];
    await openSession(clients(["https://elsewhere.test/", "https://catty.test/"], moved), target);
    expect(moved).toEqual([`navigate https://catty.test/ -> ${target}`, `focus ${target}`]);
    const opened: Call[] = [];
    await openSession(clients(["https://elsewhere.test/"], opened), target);
    expect(opened).toEqual([`open ${target}`]);
  });
});
