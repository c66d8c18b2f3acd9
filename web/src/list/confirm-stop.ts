import { h } from "../ui/dom";

/** Asks before stopping: a stopped session cannot be reconnected. Resolves true when confirmed. */
export function confirmStop(label: string): Promise<boolean> {
  return new Promise(resolve => {
    const title = h("h2", { id: "stop-title" }, `Stop ${label}?`);
    const dialog = h("dialog", { class: "sheet", "aria-labelledby": "stop-title" },
      title,
      h("p", {}, "Its workspace is saved and stays downloadable, but the session cannot be reconnected."),
      h("div", { class: "actions" },
        h("button", { class: "button quiet", type: "button", value: "cancel", onclick: () => dialog.close("cancel") }, "Cancel"),
        h("button", { class: "button danger", type: "button", value: "stop", onclick: () => dialog.close("stop") }, "Stop session")));
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(dialog.returnValue === "stop");
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
