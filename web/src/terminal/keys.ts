// What the on-screen keys type: the bytes a real keyboard would send to the PTY.

export type VirtualKey =
  | "Escape" | "Tab" | "ShiftTab" | "CtrlC" | "CtrlD" | "CtrlZ" | "CtrlL"
  | "Up" | "Down" | "Left" | "Right" | "Backspace" | "Enter";

const ARROW_FINAL: Record<string, string> = { Up: "A", Down: "B", Right: "C", Left: "D" };

/** The bytes of a key. Arrows follow DECCKM: ESC O x in application cursor mode (vim, less), ESC [ x otherwise. */
export function keyBytes(key: VirtualKey, applicationCursor = false): string {
  switch (key) {
    case "Escape": return "\x1b";
    case "Tab": return "\t";
    case "ShiftTab": return "\x1b[Z";
    case "CtrlC": return "\x03";
    case "CtrlD": return "\x04";
    case "CtrlZ": return "\x1a";
    case "CtrlL": return "\x0c";
    case "Backspace": return "\x7f";
    case "Enter": return "\r";
    default: return (applicationCursor ? "\x1bO" : "\x1b[") + ARROW_FINAL[key];
  }
}

/** Ctrl applied to one character, as a terminal does: letters and @[\]^_ map to C0, ? to DEL, space to NUL. */
export function ctrlOf(ch: string): string {
  const code = ch.codePointAt(0)!;
  if (ch.length !== 1) return ch;
  if (ch === " " || ch === "@" || ch === "2") return "\x00";
  if (ch === "?") return "\x7f";
  if (code >= 0x61 && code <= 0x7a) return String.fromCharCode(code - 0x60);
  if (code >= 0x40 && code <= 0x5f) return String.fromCharCode(code - 0x40);
  return ch;
}

const ARROW = /^\x1b[[O]([ABCD])$/;

/**
 * Ctrl and Alt armed by a tap and applied to the next key (typed, virtual or from the chat box), then
 * released: phone keyboards have neither.
 */
export class StickyModifiers {
  ctrl = false;
  alt = false;
  private readonly listeners = new Set<() => void>();

  toggle(modifier: "ctrl" | "alt"): void {
    this[modifier] = !this[modifier];
    this.changed();
  }

  get armed(): boolean {
    return this.ctrl || this.alt;
  }

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  /** Applies the armed modifiers to <data> (one key's worth of input) and releases them. */
  apply(data: string): string {
    if (!this.armed) return data;
    const { ctrl, alt } = this;
    this.ctrl = this.alt = false;
    this.changed();
    const arrow = ARROW.exec(data);
    if (arrow) return `\x1b[1;${1 + (alt ? 2 : 0) + (ctrl ? 4 : 0)}${arrow[1]}`;
    const chars = [...data];
    // Ctrl/Alt on pasted or multi-character input would be a guess; the modifier goes to its first key.
    const first = ctrl ? ctrlOf(chars[0] ?? "") : chars[0] ?? "";
    return (alt ? "\x1b" : "") + first + chars.slice(1).join("");
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
