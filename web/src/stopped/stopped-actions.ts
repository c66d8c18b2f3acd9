import { ApiError, type Api } from "../api/client";
import type { SessionInfo } from "../api/types";
import { h } from "../ui/dom";
import { confirmDelete } from "./confirm-delete";
import { showLog } from "./log-dialog";

export interface StoppedActionsHost {
  api: Api;
  /** Shows why an action failed (undefined clears it). */
  problem(text: string | undefined): void;
  /** After a delete: reload the list. */
  changed(): Promise<void>;
}

/** A stopped row's buttons: download its snapshot as .tar.gz, read its log, delete it. */
export function stoppedActions(session: SessionInfo, host: StoppedActionsHost): HTMLElement {
  const label = session.label;
  const download = h("button", { class: "button small", type: "button", "aria-label": `Download ${label} as .tar.gz` }, "⬇ Download");
  download.addEventListener("click", async () => {
    host.problem(undefined);
    download.disabled = true;
    try {
      const link = await host.api.download(session.session_id);
      const anchor = h("a", { href: link.download_url, download: `${label}.tar.gz`, hidden: true });
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
    } catch (error) {
      host.problem(`Could not download ${label}: ${messageOf(error)}`);
    } finally {
      download.disabled = false;
    }
  });
  const log = h("button", { class: "button small", type: "button", "aria-label": `Log of ${label}`, onclick: () => void showLog(host.api, session.session_id, label) }, "Log");
  const remove = h("button", { class: "button small danger", type: "button", "aria-label": `Delete ${label}` }, "Delete");
  remove.addEventListener("click", async () => {
    if (!(await confirmDelete(`Delete ${label}?`, "Its saved workspace snapshots and log are deleted with it. This cannot be undone.", "Delete"))) return;
    host.problem(undefined);
    try {
      await host.api.remove(session.session_id);
    } catch (error) {
      host.problem(`Could not delete ${label}: ${messageOf(error)}`);
    }
    await host.changed();
  });
  return h("span", { class: "stopped-actions" }, download, log, remove);
}

/** "Clear stopped": deletes every stopped session after one question. */
export async function clearStopped(sessions: SessionInfo[], host: StoppedActionsHost): Promise<void> {
  if (sessions.length === 0) return;
  const count = sessions.length === 1 ? "1 stopped session" : `${sessions.length} stopped sessions`;
  if (!(await confirmDelete(`Delete ${count}?`, "Their saved workspace snapshots and logs are deleted with them. This cannot be undone.", "Delete all"))) return;
  host.problem(undefined);
  const failed: string[] = [];
  for (const session of sessions) {
    try {
      await host.api.remove(session.session_id);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) failed.push(`${session.label} (${messageOf(error)})`);
    }
  }
  if (failed.length > 0) host.problem(`Could not delete ${failed.join(", ")}.`);
  await host.changed();
}

const messageOf = (error: unknown): string => (error instanceof ApiError ? error.message : String(error));
