import { FitAddon } from "@xterm/addon-fit";
import { Unicode11Addon } from "@xterm/addon-unicode11";
import { WebLinksAddon } from "@xterm/addon-web-links";
import { WebglAddon } from "@xterm/addon-webgl";
import { Terminal } from "@xterm/xterm";
import { TerminalTouch } from "./touch";

/** docs/DESIGN.md, Dashboard: the terminal's theme. */
export const THEME = { background: "#0a0a0f", foreground: "#e8e8f0", cursor: "#00ff88", cursorAccent: "#0a0a0f", selectionBackground: "#2a5a44" };
export const SCROLLBACK = 10_000;

/** Properties of the terminal's host element, read by the browser tests through the buffer API. */
export interface TerminalHost extends HTMLElement { terminal?: Terminal }

/**
 * xterm.js in a host element: WebGL renderer when the browser gives a context (the DOM renderer
 * otherwise, or after the context is lost), fitted to the host on every size change.
 */
export class TerminalView {
  readonly term: Terminal;
  private readonly fit = new FitAddon();
  private readonly observer: ResizeObserver;
  private readonly touch: TerminalTouch;
  private frame = 0;

  constructor(private readonly host: TerminalHost, onInput: (data: string) => void, onResize: (cols: number, rows: number) => void) {
    const narrow = window.matchMedia("(max-width: 700px)").matches;
    this.term = new Terminal({
      theme: THEME,
      scrollback: SCROLLBACK,
      fontSize: narrow ? 13 : 14,
      fontFamily: 'ui-monospace, "SF Mono", Menlo, "DejaVu Sans Mono", "Liberation Mono", monospace',
      cursorBlink: true,
      // The unicode API is "proposed"; docs/design/0201 needs Unicode 11 widths to match the server's screen model.
      allowProposedApi: true,
    });
    this.term.loadAddon(this.fit);
    this.term.loadAddon(new Unicode11Addon());
    this.term.unicode.activeVersion = "11";
    this.term.loadAddon(new WebLinksAddon((_event, uri) => window.open(uri, "_blank", "noopener,noreferrer")));
    this.term.open(host);
    host.dataset.renderer = this.loadWebgl() ? "webgl" : "dom";
    host.terminal = this.term;
    this.term.textarea?.setAttribute("aria-label", "Terminal input");
    this.touch = new TerminalTouch(host, this.term);
    this.term.onData(onInput);
    this.term.onResize(({ cols, rows }) => onResize(cols, rows));
    this.observer = new ResizeObserver(() => this.scheduleFit());
    this.observer.observe(host);
    this.fitNow();
    onResize(this.term.cols, this.term.rows);
  }

  get applicationCursor(): boolean {
    return this.term.modes.applicationCursorKeysMode;
  }

  write(bytes: Uint8Array): void {
    this.term.write(bytes);
  }

  /** Before a replay: the server redraws the whole screen, scrollback included. */
  reset(): void {
    this.term.reset();
  }

  focus(): void {
    this.term.focus();
  }

  fitNow(): void {
    if (this.host.clientWidth === 0 || this.host.clientHeight === 0) return;
    this.fit.fit();
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.observer.disconnect();
    this.touch.dispose();
    this.term.dispose();
  }

  private scheduleFit(): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.fitNow());
  }

  private loadWebgl(): boolean {
    try {
      const webgl = new WebglAddon();
      webgl.onContextLoss(() => {
        webgl.dispose();
        this.host.dataset.renderer = "dom";
      });
      this.term.loadAddon(webgl);
      return true;
    } catch {
      return false;
    }
  }
}
