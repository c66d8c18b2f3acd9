import { h } from "../ui/dom";

/** Asks before deleting: snapshots go with the session and cannot be brought back. Resolves true when confirmed. */
export function confirmDelete(title: string, detail: string, action: string): Promise<boolean> {
  return new Promise(resolve => {
    const dialog = h("dialog", { class: "sheet", "aria-labelledby": "delete-title" },
      h("h2", { id: "delete-title" }, title),
      h("p", {}, detail),
      h("div", { class: "actions" },
        h("button", { class: "button quiet", type: "button", onclick: () => dialog.close("cancel") }, "Cancel"),
        h("button", { class: "button danger", type: "button", onclick: () => dialog.close("delete") }, action)));
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(dialog.returnValue === "delete");
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
