import { ApiError, type Api } from "../api/client";
import { stripTerminal } from "../chat/strip";
import { h } from "../ui/dom";

/** The saved terminal output of a stopped session as plain text, newest at the bottom. */
export async function showLog(api: Api, sessionId: string, label: string): Promise<void> {
  const text = h("pre", { class: "log-text", tabindex: "0", "aria-label": `Terminal log of ${label}` }, "Loading…");
  const dialog = h("dialog", { class: "sheet log", "aria-labelledby": "log-title" },
    h("h2", { id: "log-title" }, `Log of ${label}`),
    text,
    h("div", { class: "actions" }, h("button", { class: "button", type: "button", onclick: () => dialog.close() }, "Close")));
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  try {
    const bytes = await api.logs(sessionId);
    const plain = stripTerminal(new TextDecoder().decode(bytes)).trim();
    text.textContent = plain.length > 0 ? plain : "The session wrote nothing to its terminal.";
    text.scrollTop = text.scrollHeight;
  } catch (error) {
    text.textContent = "";
    text.append(h("span", { class: "error", role: "alert" }, `The log could not be read: ${error instanceof ApiError ? error.message : String(error)}`));
  }
}
