import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONTROL_TYPES, MAX_MESSAGE_BYTES, encodeControl, parseControl } from "../src/terminal/protocol";

const fixtureDir = join(import.meta.dirname, "..", "..", "tests", "fixtures", "protocol");
const fixtures = readdirSync(fixtureDir).filter(f => f.endsWith(".json")).sort();

describe("protocol fixtures shared with Catty.Sdk", () => {
  it("finds the fixtures", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(CONTROL_TYPES.length);
  });

  it.each(fixtures)("%s round-trips exactly", name => {
    const json = readFileSync(join(fixtureDir, name), "utf8").trim();
    const parsed = parseControl(json);
    if (!parsed.ok) throw new Error(`${name}: ${parsed.error}`);
    expect(JSON.parse(encodeControl(parsed.message))).toEqual(JSON.parse(json));
  });

  it("has a fixture for every message type and no type the client does not know", () => {
    const covered = new Set(fixtures.map(f => JSON.parse(readFileSync(join(fixtureDir, f), "utf8")).type as string));
    expect([...covered].sort()).toEqual([...CONTROL_TYPES].sort());
  });
});

describe("parseControl", () => {
  it("accepts type in any position", () => {
    expect(parseControl('{"cols":80,"rows":24,"type":"resize"}')).toEqual({ ok: true, message: { type: "resize", cols: 80, rows: 24 } });
  });

  it.each([
    ['{"type":"bogus"}', "type"],
    ['{"cols":1}', "type"],
    ['{"type":"resize","cols":80}', "rows"],
    ['{"type":"signal","name":null}', "name"],
    ['{"type":"resize","cols":"80","rows":24}', "cols"],
    ['{"type":"resize","cols":1.5,"rows":24}', "cols"],
    ["not json", "invalid"],
    ["[]", "invalid"],
    ["null", "null"],
    ["", "empty"],
  ])("refuses %s as a value naming %s", (json, mentioned) => {
    const result = parseControl(json);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.toLowerCase()).toContain(mentioned);
  });

  it("refuses an oversized message", () => {
    const result = parseControl(`{"type":"error","message":"${"x".repeat(MAX_MESSAGE_BYTES)}"}`);
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) expect(result.error).toContain("too large");
  });

  it("drops unknown fields", () => {
    expect(parseControl('{"type":"ping","extra":1}')).toEqual({ ok: true, message: { type: "ping" } });
  });
});

describe("encodeControl", () => {
  it("leaves out absent optional fields", () => {
    expect(encodeControl({ type: "exit", code: 0 })).toBe('{"type":"exit","code":0}');
  });
});
