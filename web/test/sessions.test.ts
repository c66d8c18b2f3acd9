import { describe, expect, it } from "vitest";
import { ApiError, errorOf, signInUrl } from "../src/api/client";
import { formatAge } from "../src/list/age";
import { describeCreateError } from "../src/list/create-errors";

describe("formatAge", () => {
  const now = new Date("2026-01-01T12:00:00Z");
  const ago = (seconds: number) => formatAge(new Date(now.getTime() - seconds * 1000), now);

  it.each([[0, "just now"], [59, "just now"], [60, "1m ago"], [3599, "59m ago"], [7200, "2h ago"], [86399, "23h ago"], [86400 * 3, "3d ago"], [86400 * 90, "3mo ago"]])(
    "%i s is %s", (seconds, text) => expect(ago(seconds)).toBe(text));

  it("treats a clock skewed into the future as just now", () => {
    expect(ago(-30)).toBe("just now");
  });
});

describe("describeCreateError", () => {
  it.each([
    [new ApiError(402, "quota_exceeded", "You have 3 running sessions."), "Session limit reached"],
    [new ApiError(429, "too_many_sessions", "Limit 1."), "Session limit reached"],
    [new ApiError(400, "agent_not_installed", "Agent 'codex' needs the command 'codex'."), "Agent not installed"],
    [new ApiError(400, "invalid_region", "Unknown region 'x'."), "Region unavailable"],
    [new ApiError(503, "session_failed", "Could not start."), "Region unavailable"],
    [new ApiError(0, "network", "unreachable"), "Server unreachable"],
    [new ApiError(429, "host_full", "This host already runs 50 sessions."), "Server full"],
    [new ApiError(500, "internal", "boom"), "Could not start the session"],
  ])("%#: %s", (error, title) => {
    const described = describeCreateError(error);
    expect(described.title).toBe(title);
    expect(described.detail).toContain(error.message);
  });
});

describe("signInUrl", () => {
  it("returns to the current path and query", () => {
    expect(signInUrl({ pathname: "/sessions/brave-tiger-1234", search: "?mode=chat" })).toBe("/signin?return_to=%2Fsessions%2Fbrave-tiger-1234%3Fmode%3Dchat");
  });
});

describe("errorOf", () => {
  const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

  it("keeps the server's words for an ordinary error", async () => {
    const error = await errorOf(answer(409, { error: "session_not_running", message: "Session x is stopped." }));
    expect([error.status, error.code, error.message]).toEqual([409, "session_not_running", "Session x is stopped."]);
  });

  it.each([["csrf_failed", "security token"], ["forbidden_origin", "own page"]])("says %s in a person's words, with what to do", async (code, words) => {
    const error = await errorOf(answer(403, { error: code, message: "A signed-in browser must send the X-CSRF-Token header." }));
    expect(error.code).toBe(code);
    expect(error.message).toContain(words);
    expect(error.message).toContain("Reload the page");
  });

  it("falls back to the status line when the body is not the error shape", async () => {
    const error = await errorOf(new Response("<html>bad gateway</html>", { status: 502, statusText: "Bad Gateway" }));
    expect([error.code, error.message]).toEqual(["http_502", "The server answered 502 Bad Gateway."]);
  });
});

import { routeOf, sessionPath } from "../src/app/router";

describe("routes", () => {
  it("maps paths to pages", () => {
    expect(routeOf("/")).toEqual({ page: "sessions" });
    expect(routeOf("/sessions/brave-tiger-1234")).toEqual({ page: "session", label: "brave-tiger-1234" });
    expect(routeOf("/sessions/brave-tiger-1234/")).toEqual({ page: "session", label: "brave-tiger-1234" });
    expect(routeOf("/elsewhere")).toEqual({ page: "sessions" });
  });

  it("round-trips labels through paths", () => {
    expect(routeOf(sessionPath("odd label/x"))).toEqual({ page: "session", label: "odd label/x" });
  });
});
