import { ApiError } from "../api/client";
import { applyAttention, attentionWord, needsYou, orderByAttention, titleWithCount } from "../attention/attention";
import { AttentionFeed } from "../attention/attention-feed";
import { isLive, type RegionInfo, type SessionInfo } from "../api/types";
import type { AppContext, Page } from "../app/main";
import { sessionPath } from "../app/router";
import { copyText, h } from "../ui/dom";
import { formatAge } from "./age";
import { PushControl } from "../push/push-control";
import { clearStopped, stoppedActions, type StoppedActionsHost } from "../stopped/stopped-actions";
import { describeStop } from "../stopped/stop-reasons";
import { confirmStop } from "./confirm-stop";
import { openNewSession } from "./new-session";
import { EXTEND_SECONDS, formatTimeLeft, SOON_MS } from "./time-left";

const AGE_TICK_MS = 10_000;

/** "/": the person's sessions, running first, refreshed on a timer and on demand. */
export class SessionsPage implements Page {
  private readonly list = h("ul", { class: "session-list", "aria-label": "Sessions" });
  /** Why the list could not be loaded; gone with the next good load. */
  private readonly notice = h("p", { class: "error", role: "alert", hidden: true });
  /** Why a stop or sign-out failed; stays through refreshes until the next such action. */
  private readonly problem = h("p", { class: "error", role: "alert", hidden: true });
  private readonly updated = h("span", { class: "updated", "aria-live": "off" });
  private readonly refreshButton: HTMLButtonElement;
  private readonly clearButton: HTMLButtonElement;
  private stopped: SessionInfo[] = [];
  private readonly stoppedHost: StoppedActionsHost;
  private regions = new Map<string, string>();
  private readonly timers: number[] = [];
  private loading: Promise<void> | undefined;
  private sessions: SessionInfo[] = [];
  private readonly feed: AttentionFeed;
  private disposed = false;

  constructor(root: HTMLElement, private readonly context: AppContext) {
    document.title = "Sessions · Catty";
    this.refreshButton = h("button", { class: "button icon", type: "button", "aria-label": "Refresh", title: "Refresh", onclick: () => void this.refresh() }, "↻");
    this.clearButton = h("button", { class: "button quiet small", type: "button", hidden: true, onclick: () => void clearStopped(this.stopped, this.stoppedHost) }, "Clear stopped");
    this.stoppedHost = {
      api: context.api, problem: text => this.showProblem(text), changed: () => this.refresh(),
      open: label => context.navigate(sessionPath(label)),
    };
    const heading = h("h1", { tabindex: "-1" }, "Sessions");
    root.replaceChildren(
      h("header", { class: "topbar" },
        h("span", { class: "brand", "aria-hidden": "true" }, "🐱"),
        heading,
        h("span", { class: "who" }, context.me.user.email),
        h("button", { class: "button quiet", type: "button", onclick: () => void this.signOut() }, "Sign out")),
      h("main", { class: "sessions" },
        h("div", { class: "toolbar" },
          h("button", { class: "button primary", type: "button", onclick: () => this.newSession() }, "+ New Session"),
          h("span", { class: "spacer" }),
          this.clearButton,
          this.updated,
          this.refreshButton),
        this.notice,
        this.problem,
        this.list,
        new PushControl(context.api).element));
    heading.focus();
    void this.refresh();
    this.timers.push(window.setInterval(() => void this.refresh(), context.refreshSeconds * 1000));
    this.timers.push(window.setInterval(() => this.tickAges(), AGE_TICK_MS));
    this.feed = new AttentionFeed(change => {
      const updated = applyAttention(this.sessions, change);
      if (updated && !this.disposed) this.render(updated);
    });
  }

  dispose(): void {
    this.disposed = true;
    this.feed.close();
    for (const timer of this.timers) window.clearInterval(timer);
  }

  /** Reloads the list; concurrent calls share one request. */
  refresh(): Promise<void> {
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async load(): Promise<void> {
    this.refreshButton.setAttribute("aria-busy", "true");
    try {
      const [sessions, regions] = await Promise.all([
        this.context.api.sessions(),
        this.regions.size > 0 ? Promise.resolve(undefined) : this.context.api.regions().catch(() => undefined),
      ]);
      if (this.disposed) return;
      if (regions) this.regions = new Map(regions.map((r: RegionInfo) => [r.id, r.name]));
      this.render(sessions);
      this.notice.hidden = true;
      this.updated.dataset.at = String(Date.now());
      this.tickAges();
    } catch (error) {
      if (this.disposed) return;
      this.notice.hidden = false;
      this.notice.textContent = error instanceof ApiError ? error.message : String(error);
    } finally {
      this.refreshButton.removeAttribute("aria-busy");
    }
  }

  private render(sessions: SessionInfo[]): void {
    this.sessions = sessions;
    document.title = titleWithCount("Sessions · Catty", sessions.filter(needsYou).length);
    const ordered = orderByAttention(sessions);
    this.stopped = sessions.filter(s => !isLive(s));
    this.clearButton.hidden = this.stopped.length === 0;
    if (ordered.length === 0) {
      this.list.replaceChildren(h("li", { class: "empty" },
        h("p", {}, h("strong", {}, "No sessions yet.")),
        h("p", {}, "Tap ", h("strong", {}, "+ New Session"), " to start one here, or run ", h("code", {}, "catty new"), " in a project folder on your computer.")));
      return;
    }
    this.list.replaceChildren(...ordered.map(s => (isLive(s) ? this.runningRow(s) : this.stoppedRow(s))));
    this.tickAges();
  }

  private runningRow(session: SessionInfo): HTMLLIElement {
    // The name comes from what is shown ("Open" is for screen readers), so it carries the attention word too.
    const link = h("a", { class: "session-link", href: sessionPath(session.label) },
      h("span", { class: "sr-only" }, "Open "),
      h("span", { class: "dot running", "aria-hidden": "true" }),
      h("span", { class: "label" }, session.label),
      this.badge(session));
    link.addEventListener("click", event => {
      if (event.metaKey || event.ctrlKey || event.shiftKey) return;
      event.preventDefault();
      this.context.navigate(sessionPath(session.label));
    });
    return h("li", { class: "session-row", "data-label": session.label, "data-status": session.status, "data-attention": session.attention ?? "" },
      link,
      this.meta(session, session.status === "starting" ? "Starting" : "Running", true),
      h("span", { class: "row-actions" },
        h("button", { class: "button small", type: "button", "aria-label": `+1 h: add an hour to ${session.label}`, onclick: () => void this.extend(session) }, "+1 h"),
        h("button", { class: "button danger", type: "button", "aria-label": `Stop ${session.label}`, onclick: () => void this.stop(session) }, "Stop")));
  }

  /** "Needs you" stands out; the other states are a quiet word. */
  private badge(session: SessionInfo): HTMLElement | undefined {
    const word = attentionWord(session.attention);
    if (!word) return undefined;
    return h("span", { class: `attention attention-${session.attention}`, role: needsYou(session) ? "status" : undefined }, word);
  }

  private stoppedRow(session: SessionInfo): HTMLLIElement {
    const command = `catty download ${session.label}`;
    const copy = h("button", { class: "button quiet small", type: "button", "aria-label": `Copy “${command}”` }, "Copy");
    copy.addEventListener("click", async () => {
      copy.textContent = (await copyText(command)) ? "Copied" : "Copy failed";
    });
    return h("li", { class: "session-row stopped", "data-label": session.label, "data-status": session.status },
      h("span", { class: "session-name" },
        h("span", { class: "dot stopped", "aria-hidden": "true" }),
        h("span", { class: "label" }, session.label)),
      this.meta(session, describeStop(session)),
      h("span", { class: "download" }, stoppedActions(session, this.stoppedHost), h("code", {}, command), copy));
  }

  private meta(session: SessionInfo, status: string, live = false): HTMLElement {
    const expires = live && session.expires_at ? session.expires_at : undefined;
    return h("span", { class: "meta" },
      h("span", { class: "status-word" }, status), " · ",
      h("span", { class: "region" }, this.regions.get(session.region) ?? session.region), " · ",
      h("time", { class: "age", datetime: session.created_at, "data-created": session.created_at },
        formatAge(new Date(session.created_at), new Date())),
      expires ? " · " : null,
      expires ? h("time", { class: "time-left", datetime: expires, "data-expires": expires }, formatTimeLeft(new Date(expires), new Date())) : null);
  }

  private tickAges(): void {
    const now = new Date();
    for (const time of this.list.querySelectorAll<HTMLTimeElement>("time[data-created]")) {
      time.textContent = formatAge(new Date(time.dataset.created!), now);
    }
    for (const time of this.list.querySelectorAll<HTMLTimeElement>("time[data-expires]")) {
      const expires = new Date(time.dataset.expires!);
      time.textContent = formatTimeLeft(expires, now);
      time.classList.toggle("soon", expires.getTime() - now.getTime() < SOON_MS);
    }
    if (this.updated.dataset.at) this.updated.textContent = `Updated ${formatAge(new Date(Number(this.updated.dataset.at)), now)}`;
  }

  private async stop(session: SessionInfo): Promise<void> {
    if (!(await confirmStop(session.label))) return;
    this.showProblem(undefined);
    try {
      await this.context.api.stop(session.session_id);
    } catch (error) {
      this.showProblem(`Could not stop ${session.label}: ${error instanceof ApiError ? error.message : String(error)}`);
    }
    await this.refresh();
  }

  private async extend(session: SessionInfo): Promise<void> {
    this.showProblem(undefined);
    try {
      await this.context.api.extend(session.session_id, EXTEND_SECONDS);
    } catch (error) {
      this.showProblem(`Could not extend ${session.label}: ${error instanceof ApiError ? error.message : String(error)}`);
    }
    await this.refresh();
  }

  private newSession(): void {
    openNewSession(this.context, label => this.context.navigate(sessionPath(label)));
  }

  private async signOut(): Promise<void> {
    this.showProblem(undefined);
    try {
      const answer = await this.context.api.logout();
      location.assign(answer?.logout_url || "/signin");
    } catch (error) {
      this.showProblem(`Could not sign out: ${error instanceof ApiError ? error.message : String(error)}`);
    }
  }

  private showProblem(text: string | undefined): void {
    this.problem.hidden = text === undefined;
    this.problem.textContent = text ?? "";
  }
}
