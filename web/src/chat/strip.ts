// Plain text for chat bubbles from raw terminal output: escape sequences, box drawing, spinners and
// progress bars removed, carriage-return redraws collapsed to their last state.

const ESC = 0x1b;

/** Box drawing, block elements (bars) and braille (spinners). */
const isDecorationCodePoint = (cp: number): boolean =>
  (cp >= 0x2500 && cp <= 0x259f) || (cp >= 0x2800 && cp <= 0x28ff);

/** Spinner and status glyphs that TUIs (Claude Code, Codex, npm, cargo) animate in place. */
const SPINNER_GLYPHS = new Set([..."✻✽✶✳✢✦✧⏺⏵⏴◐◓◑◒◴◷◶◵◰◳◲◱⠁"]);

/** `[=====>    ]`, `[#####.....]`, `(====  )`: ASCII progress bars of at least five cells. */
const ASCII_BAR = /[[(][=#>\-.*| ]{5,}[\])]/g;

type State = "ground" | "esc" | "escInter" | "csi" | "osc" | "oscEsc" | "str" | "strEsc";

interface Line { text: string; decorated: boolean }

/** Keeps state across chunks, so a sequence split between two WebSocket frames is still removed. */
export class TerminalText {
  private state: State = "ground";
  private csiParams = "";
  private lines: Line[] = [];
  private current: Line = { text: "", decorated: false };
  private carriageReturn = false;

  constructor(private readonly maxLines = 2000) {}

  write(chunk: string): void {
    for (const ch of chunk) this.feed(ch);
  }

  /** The cleaned text written since the last reset. */
  text(): string {
    const out: string[] = [];
    for (const line of [...this.lines, this.current]) {
      const withoutBars = line.text.replace(ASCII_BAR, "");
      const decorated = line.decorated || withoutBars !== line.text;
      // Indentation is kept on plain lines (code, lists) but not where a frame or spinner stood.
      const cleaned = decorated ? withoutBars.trim() : withoutBars.trimEnd();
      const decoratedAway = cleaned === "" && (decorated || line.text.trim() !== "");
      if (decoratedAway) continue;
      if (cleaned === "" && out.length > 0 && out[out.length - 1] === "") continue;
      out.push(cleaned);
    }
    while (out.length > 0 && out[0] === "") out.shift();
    while (out.length > 0 && out[out.length - 1] === "") out.pop();
    return out.join("\n");
  }

  /** Starts a new bubble; an escape sequence in progress stays in progress. */
  reset(): void {
    this.lines = [];
    this.current = { text: "", decorated: false };
    this.carriageReturn = false;
  }

  private feed(ch: string): void {
    const code = ch.codePointAt(0)!;
    switch (this.state) {
      case "ground": return this.ground(ch, code);
      case "esc": return this.escape(code);
      case "escInter":
        if (code >= 0x30 && code <= 0x7e) this.state = "ground";
        else if (code < 0x20 || code > 0x2f) this.state = "ground";
        return;
      case "csi":
        if (code >= 0x40 && code <= 0x7e) {
          if (ch === "C") this.print(" ".repeat(Math.min(Number.parseInt(this.csiParams, 10) || 1, 200)));
          this.state = "ground";
        } else if (code === ESC) this.state = "esc";
        else if (code < 0x20 && code !== 0x18 && code !== 0x1a) this.control(ch, code);
        else if (code === 0x18 || code === 0x1a) this.state = "ground";
        else this.csiParams += ch;
        return;
      case "osc":
        if (code === 0x07 || code === 0x9c) this.state = "ground";
        else if (code === ESC) this.state = "oscEsc";
        return;
      case "oscEsc":
        this.state = ch === "\\" ? "ground" : "osc";
        return;
      case "str":
        if (code === 0x9c) this.state = "ground";
        else if (code === ESC) this.state = "strEsc";
        return;
      case "strEsc":
        this.state = ch === "\\" ? "ground" : "str";
        return;
    }
  }

  private ground(ch: string, code: number): void {
    if (code === ESC) {
      this.state = "esc";
    } else if (code === 0x9b) {
      this.startCsi();
    } else if (code === 0x9d) {
      this.state = "osc";
    } else if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) {
      this.control(ch, code);
    } else if (isDecorationCodePoint(code) || SPINNER_GLYPHS.has(ch)) {
      this.current.decorated = true;
      this.print(" ");
    } else {
      this.print(ch);
    }
  }

  private escape(code: number): void {
    const ch = String.fromCodePoint(code);
    if (ch === "[") this.startCsi();
    else if (ch === "]") this.state = "osc";
    else if (ch === "P" || ch === "X" || ch === "^" || ch === "_") this.state = "str";
    else if (code >= 0x20 && code <= 0x2f) this.state = "escInter";
    else this.state = "ground";
  }

  private startCsi(): void {
    this.state = "csi";
    this.csiParams = "";
  }

  private control(ch: string, code: number): void {
    if (ch === "\n") {
      this.lines.push(this.current);
      if (this.lines.length >= this.maxLines) this.lines.shift();
      this.current = { text: "", decorated: false };
      this.carriageReturn = false;
    } else if (ch === "\r") {
      this.carriageReturn = true;
    } else if (ch === "\b" || code === 0x7f) {
      this.current.text = [...this.current.text].slice(0, -1).join("");
    } else if (ch === "\t") {
      this.print("\t");
    }
  }

  private print(text: string): void {
    if (this.carriageReturn) {
      // A redraw of the same line (progress, spinner): its last state is what counts.
      if (this.current.text.trim() !== "") this.current.decorated = true;
      this.current.text = "";
      this.carriageReturn = false;
    }
    this.current.text += text;
  }
}

/** One-shot form of TerminalText. */
export function stripTerminal(output: string): string {
  const text = new TerminalText();
  text.write(output);
  return text.text();
}
