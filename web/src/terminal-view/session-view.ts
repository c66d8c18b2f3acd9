import { attentionWord } from "../attention/attention";
import { Presence } from "../push/presence";
import { AttentionFeed } from "../attention/attention-feed";
import { ApiError } from "../api/client";
import { isLive, type SessionInfo } from "../api/types";
import type { AppContext, Page } from "../app/main";
import { sessionPath } from "../app/router";
import { ChatView } from "../chat/chat-view";
import { OpenFailure, TerminalConnection } from "../terminal/connection";
import { StickyModifiers } from "../terminal/keys";
import { TerminalView, type TerminalHost } from "../terminal/terminal-view";
import { virtualKeys } from "../terminal/virtual-keys";
import { h } from "../ui/dom";
import { Lifetime } from "./lifetime";
import { statusBar } from "./status-bar";

type Mode = "terminal" | "chat";
const STYLESHEET = "/assets/session.css";

/** Loads the session view's stylesheet (kept out of the sessions page) once. */
function loadStylesheet(): Promise<void> {
  const existing = document.querySelector<HTMLLinkElement>(`link[href="${STYLESHEET}"]`);
  if (existing) return Promise.resolve();
  return new Promise(resolve => {
    const link = h("link", { rel: "stylesheet", href: STYLESHEET });
    link.addEventListener("load", () => resolve());
    link.addEventListener("error", () => resolve());
    document.head.append(link);
  });
}

/** "/sessions/<label>": one session in terminal or chat mode over one connection. */
export class SessionView implements Page {
  private readonly connection: TerminalConnection;
  private readonly modifiers = new StickyModifiers();
  private terminal: TerminalView | undefined;
  private chat: ChatView | undefined;
  private readonly body = h("div", { class: "session-body" });
  private readonly main = h("main", { class: "session-main" }, this.body);
  private readonly terminalHost: TerminalHost = h("div", { class: "terminal-host" });
  private readonly modeButtons: Record<Mode, HTMLButtonElement>;
  private readonly keysToggle: HTMLButtonElement;
  private keysBar: HTMLElement | undefined;
  private mode: Mode;
  private readonly touch: boolean;
  private sessionId: string | undefined;
  private readonly lifetime: Lifetime;
  private readonly status: ReturnType<typeof statusBar>;
  private disposed = false;
  /** The session's attention state, shown beside its label and in the page title. */
  private readonly attention = h("span", { class: "attention", "aria-live": "polite" });
  private readonly feed: AttentionFeed;
  private readonly presence: Presence;

  constructor(private readonly root: HTMLElement, private readonly context: AppContext, private readonly label: string) {
    document.title = `${label} · Catty`;
    this.mode = window.matchMedia("(max-width: 700px)").matches ? "chat" : "terminal";
    const touch = window.matchMedia("(pointer: coarse)").matches || navigator.maxTouchPoints > 0;
    this.touch = touch;
    this.connection = new TerminalConnection({
      openUrl: () => this.openUrl(),
      sessionState: async () => {
        let session: SessionInfo;
        try {
          session = await this.context.api.session(this.sessionId ?? this.label);
        } catch (error) {
          if (error instanceof ApiError && error.status === 404) return "missing";
          throw error;
        }
        this.lifetime.update(session);
        return isLive(session) ? "running" : session.stop_reason === "agent_exited" ? "exited" : "stopped";
      },
    });
    this.lifetime = new Lifetime(context.api, () => this.sessionId);
    this.presence = new Presence(context.api, label);
    const status = statusBar({
      retry: () => this.connection.retry(),
      sessions: () => this.context.navigate("/"),
      resume: this.resumeAction(),
    });
    this.status = status;
    status.element.append(this.lifetime.element);
    this.connection.onState(state => {
      status.show(state);
      if (state.status === "disconnected" && (state.reason.kind === "stopped" || state.reason.kind === "missing" || state.reason.kind === "exited")) this.lifetime.hide();
    });
    this.modeButtons = {
      terminal: h("button", { class: "segment", type: "button", onclick: () => this.setMode("terminal") }, "Terminal"),
      chat: h("button", { class: "segment", type: "button", onclick: () => this.setMode("chat") }, "Chat"),
    };
    this.keysToggle = h("button", {
      class: "button icon", type: "button", "aria-label": "Show terminal keys", "aria-pressed": "false", hidden: !touch,
      onclick: () => this.toggleKeys(),
    }, "⌨");
    const back = h("a", { class: "button icon back", href: "/", "aria-label": "Back to sessions" }, "←");
    back.addEventListener("click", event => {
      event.preventDefault();
      this.context.navigate("/");
    });
    const heading = h("h1", { class: "session-label", tabindex: "-1" }, label);
    root.replaceChildren(
      h("header", { class: "topbar session-header" },
        back, heading, this.attention,
        h("div", { class: "segmented", role: "group", "aria-label": "View" }, this.modeButtons.terminal, this.modeButtons.chat),
        this.keysToggle),
      this.main,
      status.element);
    root.classList.add("session-page");
    heading.focus();
    this.body.append(this.terminalHost);
    if (touch) this.toggleKeys();
    this.feed = new AttentionFeed(change => {
      if (change.session_id === this.sessionId) this.showAttention(change.attention);
    });
    void this.open();
  }

  dispose(): void {
    this.disposed = true;
    this.feed.close();
    this.connection.stop();
    this.lifetime.dispose();
    this.presence.dispose();
    this.status.dispose();
    this.terminal?.dispose();
    this.chat?.dispose();
    this.root.classList.remove("session-page");
  }

  private async open(): Promise<void> {
    await loadStylesheet();
    if (this.disposed) return;
    this.terminal = new TerminalView(this.terminalHost, data => this.connection.send(this.modifiers.apply(data)), (cols, rows) => this.connection.resize(cols, rows));
    const appCursor = () => this.terminal?.applicationCursor ?? false;
    this.chat = new ChatView(data => this.connection.send(data), appCursor);
    this.body.append(this.chat.element);
    this.keysBar = virtualKeys(this.modifiers, data => this.connection.send(data), appCursor);
    this.keysBar.hidden = this.keysToggle.getAttribute("aria-pressed") !== "true";
    this.body.after(this.keysBar);
    this.connection.onOutput({
      reconnected: () => {
        this.terminal?.reset();
        this.chat?.reconnected();
      },
      output: (bytes, replay) => {
        this.terminal?.write(bytes);
        this.chat?.output(bytes, replay);
      },
    });
    this.setMode(this.mode);
    this.connection.start();
  }

  private showAttention(attention: string | null | undefined): void {
    const word = attentionWord(attention);
    this.attention.textContent = word ?? "";
    this.attention.className = word ? `attention attention-${attention}` : "attention";
    document.title = attention === "needs_input" ? `Needs you · ${this.label} · Catty` : `${this.label} · Catty`;
  }

  private async openUrl(): Promise<string> {
    try {
      if (!this.sessionId) {
        const session = await this.context.api.session(this.label);
        this.lifetime.update(session);
        if (!isLive(session)) throw new OpenFailure("ended", "Session stopped");
        this.sessionId = session.session_id;
        this.showAttention(session.attention);
      }
      const ticket = await this.context.api.ticket(this.sessionId);
      return `${ticket.connect_url}?ticket=${encodeURIComponent(ticket.ticket)}`;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 404) throw new OpenFailure("missing", `No session named ${this.label}: it may have been deleted.`);
      if (error.status === 409) throw new OpenFailure("ended", error.message);
      if (error.status === 403) throw new OpenFailure("refused", error.message);
      throw new OpenFailure("transient", error.message);
    }
  }

  /** Resume starts the stopped session again in a new machine and opens it; a refusal shows in the status bar. */
  private resumeAction(): () => void {
    return async () => {
      try {
        const resumed = await this.context.api.resume(this.sessionId ?? this.label);
        this.context.navigate(sessionPath(resumed.label));
      } catch (error) {
        this.status.problem(`Could not resume: ${error instanceof ApiError ? error.message : String(error)}`);
      }
    };
  }

  private setMode(mode: Mode): void {
    this.mode = mode;
    for (const [name, button] of Object.entries(this.modeButtons)) button.setAttribute("aria-pressed", String(name === mode));
    this.body.dataset.mode = mode;
    if (this.keysBar) this.keysBar.classList.toggle("in-chat", mode === "chat");
    // The keys belong to the terminal; chat has its own quick buttons.
    this.keysToggle.hidden = !this.touch || mode === "chat";
    if (mode === "terminal") {
      this.terminal?.fitNow();
      this.terminal?.focus();
    }
  }

  private toggleKeys(): void {
    const show = this.keysToggle.getAttribute("aria-pressed") !== "true";
    this.keysToggle.setAttribute("aria-pressed", String(show));
    this.keysToggle.setAttribute("aria-label", show ? "Hide terminal keys" : "Show terminal keys");
    if (this.keysBar) this.keysBar.hidden = !show;
  }
}
