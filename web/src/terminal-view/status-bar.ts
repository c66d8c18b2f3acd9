import { canRetry, describeLink, type LinkState } from "../terminal/reconnect";
import { h } from "../ui/dom";

export interface StatusActions {
  retry(): void;
  /** Shown instead of Retry once the session has stopped or its program exited. */
  resume?: () => void;
  /** Back to the sessions list, offered once nothing can reconnect. */
  sessions(): void;
}

/**
 * Connected (green), Connecting (amber, pulsing) or Disconnected (red) with the reason. Retry only where it can
 * succeed; a stopped session offers Resume, a missing one the way back. A scheduled reconnect counts down.
 */
export function statusBar(actions: StatusActions): { element: HTMLElement; show(state: LinkState): void; problem(text: string): void; dispose(): void } {
  const dot = h("span", { class: "dot", "aria-hidden": "true" });
  const text = h("span", { class: "status-text" });
  const detail = h("span", { class: "status-detail" });
  const retry = h("button", { class: "button small", type: "button", hidden: true, onclick: () => actions.retry() }, "Retry");
  const resume = h("button", { class: "button small primary", type: "button", hidden: true, onclick: () => actions.resume?.() }, "Resume");
  const back = h("button", { class: "button small", type: "button", hidden: true, onclick: () => actions.sessions() }, "Sessions");
  const failure = h("span", { class: "status-problem error", role: "alert", hidden: true });
  const element = h("footer", { class: "status-bar" }, h("div", { class: "status", role: "status" }, dot, text, detail), retry, resume, back, failure);
  let countdown: number | undefined;
  let retryAt = 0;

  const tick = () => {
    const seconds = Math.max(0, Math.ceil((retryAt - Date.now()) / 1000));
    detail.textContent = ` · reconnecting in ${seconds} s`;
  };
  const stopCountdown = () => {
    window.clearInterval(countdown);
    countdown = undefined;
  };

  return {
    element,
    show(state: LinkState) {
      const kind = state.status === "idle" ? "connecting" : state.status;
      element.dataset.state = kind;
      text.textContent = describeLink(state);
      stopCountdown();
      detail.textContent = "";
      if (state.status === "disconnected" && state.retryInMs !== null) {
        retryAt = Date.now() + state.retryInMs;
        tick();
        countdown = window.setInterval(tick, 1000);
      }
      const ended = state.status === "disconnected" && !canRetry(state.reason);
      retry.hidden = state.status !== "disconnected" || ended;
      resume.hidden = !ended || !actions.resume || (state.status === "disconnected" && state.reason.kind === "missing");
      back.hidden = !ended;
    },
    problem(message: string) {
      failure.hidden = false;
      failure.textContent = message;
    },
    dispose: stopCountdown,
  };
}
