import { describeLink, type LinkState } from "../terminal/reconnect";
import { h } from "../ui/dom";

/** Connected (green), Connecting (amber, pulsing) or Disconnected (red) with the reason and Retry. */
export function statusBar(onRetry: () => void): { element: HTMLElement; show(state: LinkState): void } {
  const dot = h("span", { class: "dot", "aria-hidden": "true" });
  const text = h("span", { class: "status-text" });
  const detail = h("span", { class: "status-detail" });
  const retry = h("button", { class: "button small", type: "button", hidden: true, onclick: onRetry }, "Retry");
  const element = h("footer", { class: "status-bar" }, h("div", { class: "status", role: "status" }, dot, text, detail), retry);
  return {
    element,
    show(state: LinkState) {
      const kind = state.status === "idle" ? "connecting" : state.status;
      element.dataset.state = kind;
      text.textContent = describeLink(state);
      detail.textContent = state.status === "disconnected" && state.retryInMs !== null
        ? ` · reconnecting in ${Math.round(state.retryInMs / 1000)} s` : "";
      retry.hidden = state.status !== "disconnected";
    },
  };
}
