import { ApiError, type Api } from "../api/client";
import type { SessionInfo } from "../api/types";
import { EXTEND_SECONDS, formatTimeLeft, SOON_MS } from "../list/time-left";
import { h } from "../ui/dom";

const TICK_MS = 10_000;

/** The session view's "58m left" and its "+1 h" button, kept current on a timer. */
export class Lifetime {
  readonly element: HTMLElement;
  private readonly left = h("time", { class: "time-left" });
  private readonly problem = h("span", { class: "lifetime-problem error", role: "alert", hidden: true });
  private expires: Date | undefined;
  private readonly timer: number;

  constructor(private readonly api: Api, private readonly sessionId: () => string | undefined) {
    const extend = h("button", { class: "button small", type: "button", "aria-label": "+1 h: add an hour" }, "+1 h");
    extend.addEventListener("click", async () => {
      const id = this.sessionId();
      if (!id) return;
      extend.disabled = true;
      this.problem.hidden = true;
      try {
        this.update(await this.api.extend(id, EXTEND_SECONDS));
      } catch (error) {
        this.problem.hidden = false;
        this.problem.textContent = error instanceof ApiError ? error.message : String(error);
      } finally {
        extend.disabled = false;
      }
    });
    this.element = h("span", { class: "lifetime", hidden: true }, this.left, extend, this.problem);
    this.timer = window.setInterval(() => this.tick(), TICK_MS);
  }

  /** Shows the session's deadline while it runs; hides itself once it has stopped. */
  update(session: SessionInfo): void {
    const live = session.status === "running" || session.status === "starting";
    this.expires = live && session.expires_at ? new Date(session.expires_at) : undefined;
    this.element.hidden = this.expires === undefined;
    this.tick();
  }

  hide(): void {
    this.element.hidden = true;
  }

  dispose(): void {
    window.clearInterval(this.timer);
  }

  private tick(): void {
    if (!this.expires) return;
    const now = new Date();
    this.left.dateTime = this.expires.toISOString();
    this.left.textContent = formatTimeLeft(this.expires, now);
    this.left.classList.toggle("soon", this.expires.getTime() - now.getTime() < SOON_MS);
  }
}
