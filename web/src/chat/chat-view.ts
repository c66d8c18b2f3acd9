import { keyBytes, type VirtualKey } from "../terminal/keys";
import { h } from "../ui/dom";
import { TerminalText, stripTerminal } from "./strip";

interface QuickButton { text: string; label: string; bytes: (applicationCursor: boolean) => string }

const key = (k: VirtualKey) => (applicationCursor: boolean) => keyBytes(k, applicationCursor);
const QUICK: QuickButton[] = [
  { text: "y", label: "Send y", bytes: () => "y" },
  { text: "n", label: "Send n", bytes: () => "n" },
  { text: "1", label: "Send 1", bytes: () => "1" },
  { text: "2", label: "Send 2", bytes: () => "2" },
  { text: "↑", label: "Up arrow", bytes: key("Up") },
  { text: "↓", label: "Down arrow", bytes: key("Down") },
  { text: "Enter", label: "Enter", bytes: key("Enter") },
  { text: "Esc", label: "Esc", bytes: key("Escape") },
  { text: "^C", label: "Control C", bytes: key("CtrlC") },
];

/**
 * Output as chat bubbles of plain text, and a box that sends exactly what was typed followed by Enter.
 * Each message the person sends closes the current output bubble and starts a new one.
 */
export class ChatView {
  readonly element: HTMLElement;
  private readonly list = h("ol", { class: "bubbles" });
  private readonly log = h("div", { class: "chat-log", role: "log", "aria-label": "Session output", "aria-live": "polite" }, this.list);
  private readonly input = h("input", {
    type: "text", class: "chat-input", name: "message", "aria-label": "Message to the session", placeholder: "Type a reply…",
    autocomplete: "off", autocorrect: "off", autocapitalize: "off", spellcheck: "false", enterkeyhint: "send",
  });
  private readonly text = new TerminalText();
  private readonly decoder = new TextDecoder();
  private bubble: HTMLElement | undefined;
  private lastSent: string | undefined;
  private frame = 0;
  private hasOutput = false;

  constructor(private readonly send: (data: string) => void, private readonly applicationCursor: () => boolean) {
    const form = h("form", { class: "chat-form" }, this.input, h("button", { class: "button primary", type: "submit" }, "Send"));
    form.addEventListener("submit", event => {
      event.preventDefault();
      this.sendMessage(this.input.value);
      this.input.value = "";
    });
    const quick = h("div", { class: "quick", role: "group", "aria-label": "Quick replies" },
      ...QUICK.map(q => h("button", {
        class: "key", type: "button", "aria-label": q.label, "data-key": q.text,
        onclick: () => this.send(q.bytes(this.applicationCursor())),
      }, q.text)));
    this.element = h("section", { class: "chat", "aria-label": "Chat" }, this.log, quick, form);
  }

  /** A new socket: its replay redraws a screen the chat has already shown, unless the chat is still empty. */
  reconnected(): void {
    this.decoder.decode();
  }

  output(bytes: Uint8Array, replay: boolean): void {
    const chunk = this.decoder.decode(bytes, { stream: true });
    if (replay && this.hasOutput) return;
    this.hasOutput ||= chunk.length > 0;
    this.text.write(chunk);
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.render());
  }

  focus(): void {
    this.input.focus();
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
  }

  private sendMessage(message: string): void {
    this.render();
    this.list.append(h("li", { class: "bubble mine" }, h("pre", {}, message === "" ? "⏎" : message)));
    this.bubble = undefined;
    this.text.reset();
    this.lastSent = message;
    this.send(message + "\r");
    this.scrollToEnd();
  }

  private render(): void {
    const text = withoutEcho(this.text.text(), this.lastSent);
    if (text === "") return;
    if (!this.bubble) {
      this.bubble = h("li", { class: "bubble theirs" }, h("pre", {}));
      this.list.append(this.bubble);
    }
    this.bubble.firstElementChild!.textContent = text;
    this.scrollToEnd();
  }

  private scrollToEnd(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }
}

/**
 * The terminal echoes what was typed, and the bubble above already shows it. A long line comes back
 * wrapped with carriage returns, so its last visible piece is a suffix of what was sent. A message sent
 * before the shell drew its prompt comes back after that prompt, on the same line: the line ends with
 * what was sent, right after a prompt's last character. A message sent before the shell set up its line
 * editor comes back twice: the terminal's own echo, then the prompt with the editor's echo.
 */
export function withoutEcho(text: string, sent: string | undefined): string {
  // Compared without spaces, and cleaned like the output, since the echo went through the same filter.
  const echo = squash(stripTerminal(sent ?? ""));
  if (echo === "") return text;
  const afterPrompt = (line: string) => line.endsWith(echo) && PROMPT_END.test(line.slice(0, -echo.length));
  const [first, rest] = firstLine(text);
  if (!afterPrompt(first) && (first === "" || !echo.endsWith(first))) return text;
  // A second echo follows a prompt; a bare line like the echo after the first one is the program's output.
  const [second, afterSecond] = firstLine(rest);
  return afterPrompt(second) ? afterSecond : rest;
}

/** The first line, squashed, and the text after it. */
function firstLine(text: string): [string, string] {
  const newline = text.indexOf("\n");
  return newline < 0 ? [squash(text), ""] : [squash(text.slice(0, newline)), text.slice(newline + 1)];
}

const squash = (value: string) => value.replace(/\s+/g, "");

/** How the text before an echo on its line ends when it is a prompt ("user@host:~$", "#", ">", "[y/N]"). */
const PROMPT_END = /[$#>%:\]?)]$/;
