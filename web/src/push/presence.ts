// Tells the server that this page shows a session and whether the document is visible, so no push goes out
// about a session the person is looking at. Repeated while the page stays open; the server forgets a page
// it has not heard from for 90 s.
import type { Api } from "../api/client";

export const PRESENCE_REPEAT_MS = 30_000;

export class Presence {
  private readonly page = `page-${Math.random().toString(36).slice(2, 12)}`;
  private readonly timer: number;
  private readonly onVisibility = () => this.report();

  constructor(private readonly api: Api, private readonly session: string) {
    document.addEventListener("visibilitychange", this.onVisibility);
    this.timer = window.setInterval(() => this.report(), PRESENCE_REPEAT_MS);
    this.report();
  }

  dispose(): void {
    window.clearInterval(this.timer);
    document.removeEventListener("visibilitychange", this.onVisibility);
    void this.api.presence(this.page, null, false).catch(() => undefined);
  }

  private report(): void {
    void this.api.presence(this.page, this.session, document.visibilityState === "visible").catch(() => undefined);
  }
}
