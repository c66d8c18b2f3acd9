import type { Terminal } from "@xterm/xterm";
import { copyText, h } from "../ui/dom";

/** How long a still finger waits before it selects. */
export const LONG_PRESS_MS = 500;
/** Movement under this (CSS px) still counts as still. */
const SLOP_PX = 10;

interface Cell { col: number; row: number }

/**
 * Touch for the terminal, which xterm.js 6.0.0 does not give (its viewport ignores swipes): a vertical swipe
 * scrolls the scrollback line by line, a long press selects the word under the finger and dragging afterwards
 * extends the selection; a small bar then offers Copy. Listeners run in the capture phase, before xterm's own.
 */
export class TerminalTouch {
  readonly copyBar: HTMLElement;
  private readonly copyButton: HTMLButtonElement;
  private startX = 0;
  private startY = 0;
  private lastY = 0;
  private carried = 0;
  private moved = false;
  private pressTimer: number | undefined;
  private anchor: Cell | undefined;
  private readonly abort = new AbortController();

  constructor(private readonly host: HTMLElement, private readonly term: Terminal) {
    this.copyButton = h("button", { class: "button small primary", type: "button" }, "Copy");
    this.copyButton.addEventListener("click", async () => {
      this.copyButton.textContent = (await copyText(this.term.getSelection())) ? "Copied" : "Copy failed";
    });
    const done = h("button", { class: "button small", type: "button", onclick: () => this.endSelection() }, "Done");
    this.copyBar = h("div", { class: "copy-bar", role: "toolbar", "aria-label": "Selection", hidden: true }, this.copyButton, done);
    host.append(this.copyBar);
    const options = { capture: true, passive: false, signal: this.abort.signal };
    host.addEventListener("touchstart", e => this.start(e), options);
    host.addEventListener("touchmove", e => this.move(e), options);
    host.addEventListener("touchend", e => this.end(e), options);
    host.addEventListener("touchcancel", () => this.cancelPress(), options);
    host.addEventListener("contextmenu", e => e.preventDefault(), options);
  }

  dispose(): void {
    this.cancelPress();
    this.abort.abort();
    this.copyBar.remove();
  }

  private start(event: TouchEvent): void {
    if (event.touches.length !== 1 || this.copyBar.contains(event.target as Node)) return;
    const touch = event.touches[0];
    this.startX = touch.clientX;
    this.startY = this.lastY = touch.clientY;
    this.carried = 0;
    this.moved = false;
    this.anchor = undefined;
    this.cancelPress();
    this.pressTimer = window.setTimeout(() => this.longPress(touch.clientX, touch.clientY), LONG_PRESS_MS);
  }

  private move(event: TouchEvent): void {
    if (event.touches.length !== 1 || this.copyBar.contains(event.target as Node)) return;
    const touch = event.touches[0];
    if (this.anchor) {
      event.preventDefault();
      event.stopPropagation();
      this.extendTo(this.cellAt(touch.clientX, touch.clientY));
      return;
    }
    if (!this.moved && Math.hypot(touch.clientX - this.startX, touch.clientY - this.startY) < SLOP_PX) return;
    this.moved = true;
    this.cancelPress();
    event.preventDefault();
    event.stopPropagation();
    // A finger moving up shows later lines, as on any touch list.
    this.carried += this.lastY - touch.clientY;
    this.lastY = touch.clientY;
    const lines = Math.trunc(this.carried / this.cellHeight());
    if (lines !== 0) {
      this.term.scrollLines(lines);
      this.carried -= lines * this.cellHeight();
    }
  }

  private end(event: TouchEvent): void {
    this.cancelPress();
    if (this.anchor || this.moved) {
      // xterm would treat the end of a swipe or a selection as a tap (focus, keyboard up).
      event.preventDefault();
      event.stopPropagation();
    }
    if (this.anchor && this.term.hasSelection()) {
      this.copyButton.textContent = "Copy";
      this.copyBar.hidden = false;
    }
    this.anchor = undefined;
  }

  private longPress(x: number, y: number): void {
    this.pressTimer = undefined;
    const cell = this.cellAt(x, y);
    const line = this.term.buffer.active.getLine(cell.row)?.translateToString(false) ?? "";
    let from = cell.col;
    let to = cell.col;
    if (line[cell.col] && line[cell.col] !== " ") {
      while (from > 0 && line[from - 1] !== " ") from--;
      while (to < line.length - 1 && line[to + 1] !== " ") to++;
    }
    this.anchor = { col: from, row: cell.row };
    this.term.select(from, cell.row, to - from + 1);
    navigator.vibrate?.(10);
  }

  private extendTo(cell: Cell): void {
    const anchor = this.anchor!;
    const cols = this.term.cols;
    const a = anchor.row * cols + anchor.col;
    const b = cell.row * cols + cell.col;
    const first = Math.min(a, b);
    this.term.select(first % cols, Math.floor(first / cols), Math.abs(b - a) + 1);
  }

  private endSelection(): void {
    this.term.clearSelection();
    this.copyBar.hidden = true;
  }

  private cancelPress(): void {
    window.clearTimeout(this.pressTimer);
    this.pressTimer = undefined;
  }

  private cellAt(x: number, y: number): Cell {
    const screen = this.host.querySelector(".xterm-screen")?.getBoundingClientRect() ?? this.host.getBoundingClientRect();
    const col = Math.min(this.term.cols - 1, Math.max(0, Math.floor((x - screen.left) / (screen.width / this.term.cols))));
    const row = Math.min(this.term.rows - 1, Math.max(0, Math.floor((y - screen.top) / this.cellHeight())));
    return { col, row: row + this.term.buffer.active.viewportY };
  }

  private cellHeight(): number {
    const screen = this.host.querySelector(".xterm-screen")?.getBoundingClientRect();
    return screen && screen.height > 0 ? screen.height / this.term.rows : 17;
  }
}
