import { describe, expect, it } from "vitest";
import { StickyModifiers, ctrlOf, keyBytes, type VirtualKey } from "../src/terminal/keys";

describe("keyBytes", () => {
  it.each<[VirtualKey, string]>([
    ["Escape", "\x1b"], ["Tab", "\t"], ["ShiftTab", "\x1b[Z"], ["CtrlC", "\x03"], ["CtrlD", "\x04"],
    ["CtrlZ", "\x1a"], ["CtrlL", "\x0c"], ["Backspace", "\x7f"], ["Enter", "\r"],
    ["Up", "\x1b[A"], ["Down", "\x1b[B"], ["Right", "\x1b[C"], ["Left", "\x1b[D"],
  ])("%s sends %j", (key, bytes) => {
    expect(keyBytes(key)).toBe(bytes);
  });

  it("sends SS3 arrows in application cursor mode", () => {
    expect(keyBytes("Up", true)).toBe("\x1bOA");
    expect(keyBytes("Left", true)).toBe("\x1bOD");
  });
});

describe("ctrlOf", () => {
  it.each([["c", "\x03"], ["C", "\x03"], ["a", "\x01"], ["z", "\x1a"], ["[", "\x1b"], ["\\", "\x1c"], ["?", "\x7f"], [" ", "\x00"], ["1", "1"]])(
    "Ctrl+%j is %j", (ch, bytes) => expect(ctrlOf(ch)).toBe(bytes));
});

describe("StickyModifiers", () => {
  it("applies Ctrl to the next key only", () => {
    const mods = new StickyModifiers();
    mods.toggle("ctrl");
    expect(mods.ctrl).toBe(true);
    expect(mods.apply("c")).toBe("\x03");
    expect(mods.ctrl).toBe(false);
    expect(mods.apply("c")).toBe("c");
  });

  it("prefixes Alt with ESC and combines with Ctrl", () => {
    const mods = new StickyModifiers();
    mods.toggle("alt");
    expect(mods.apply("b")).toBe("\x1bb");
    mods.toggle("alt");
    mods.toggle("ctrl");
    expect(mods.apply("x")).toBe("\x1b\x18");
  });

  it("modifies arrows the xterm way", () => {
    const mods = new StickyModifiers();
    mods.toggle("ctrl");
    expect(mods.apply("\x1b[C")).toBe("\x1b[1;5C");
    mods.toggle("alt");
    expect(mods.apply("\x1bOA")).toBe("\x1b[1;3A");
  });

  it("is disarmed by a second tap and reports changes", () => {
    const mods = new StickyModifiers();
    let changes = 0;
    mods.onChange(() => changes++);
    mods.toggle("ctrl");
    mods.toggle("ctrl");
    expect(mods.armed).toBe(false);
    expect(mods.apply("c")).toBe("c");
    expect(changes).toBe(2);
  });

  it("gives the modifier to the first key of multi-character input", () => {
    const mods = new StickyModifiers();
    mods.toggle("ctrl");
    expect(mods.apply("cat")).toBe("\x03at");
  });
});
