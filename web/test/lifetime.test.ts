import { describe, expect, it } from "vitest";
import type { SessionInfo } from "../src/api/types";
import { formatTimeLeft } from "../src/list/time-left";
import { describeStop } from "../src/stopped/stop-reasons";

describe("formatTimeLeft", () => {
  const now = new Date("2026-01-01T12:00:00Z");
  const left = (seconds: number) => formatTimeLeft(new Date(now.getTime() + seconds * 1000), now);

  it.each([[-5, "stopping"], [0, "stopping"], [1, "1m left"], [59, "1m left"], [60, "1m left"], [61, "2m left"], [3540, "59m left"],
    [3600, "1h left"], [3601, "1h 1m left"], [7200 + 300, "2h 5m left"], [8 * 3600, "8h left"]])("%i s is %s", (seconds, text) =>
    expect(left(seconds)).toBe(text));
});

describe("describeStop", () => {
  const session = (status: SessionInfo["status"], stop_reason?: string, exit_code?: number): SessionInfo => ({
    session_id: "id", label: "calm-cat-0001", region: "local", status, created_at: "", machine_state: "destroyed", stop_reason, exit_code,
  });

  it.each([
    [session("stopped", "user"), "Stopped by you"],
    [session("timed_out", "duration_elapsed"), "Timed out: its time ran out"],
    [session("timed_out", "inactive"), "Timed out: idle too long"],
    [session("stopped", "agent_exited", 3), "The program exited with code 3"],
    [session("stopped", "agent_exited", 0), "The program exited with code 0"],
    [session("stopped", "agent_exited"), "The program exited"],
    [session("stopped", "machine_lost"), "Its machine was lost"],
    [session("stopped", "out_of_memory"), "Out of memory"],
    [session("stopped", "disk_full"), "Out of disk space"],
    [session("stopped", "cpu_melted"), "Stopped (cpu melted)"],
    [session("failed"), "Failed to start"],
    [session("timed_out"), "Timed out"],
    [session("stopped"), "Stopped"],
  ])("%#: %s", (info, words) => expect(describeStop(info)).toBe(words));
});
