import { Api, ApiError } from "../api/client";
import type { Me } from "../api/types";
import { SessionsPage } from "../list/sessions-page";
import { h, metaNumber } from "../ui/dom";
import { routeOf } from "./router";

/** A page owns its part of the DOM and its timers until the next navigation. */
export interface Page { dispose(): void }

export interface AppContext {
  api: Api;
  me: Me;
  navigate(path: string): void;
  /** Seconds between automatic refreshes of the sessions list (server setting, default 30). */
  refreshSeconds: number;
}

const root = document.getElementById("app")!;
let current: Page | undefined;
let generation = 0;

async function show(context: AppContext): Promise<void> {
  const mine = ++generation;
  current?.dispose();
  current = undefined;
  const route = routeOf(location.pathname);
  if (route.page === "sessions") {
    current = new SessionsPage(root, context);
    return;
  }
  root.replaceChildren(h("p", { class: "loading" }, "Opening ", route.label, "…"));
  try {
    const { SessionView } = await import("../terminal-view/session-view");
    if (mine === generation) current = new SessionView(root, context, route.label);
  } catch (error) {
    if (mine !== generation) return;
    root.replaceChildren(h("p", { role: "alert", class: "error" }, "The session view could not be loaded: ", String(error)),
      h("button", { class: "button", onclick: () => location.reload() }, "Reload"));
  }
}

async function boot(): Promise<void> {
  const api = new Api();
  let me: Me;
  try {
    me = await api.me();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return; // on its way to the sign-in page
    root.replaceChildren(
      h("h1", {}, "Catty"),
      h("p", { role: "alert", class: "error" }, error instanceof ApiError ? error.message : String(error)),
      h("button", { class: "button", onclick: () => location.reload() }, "Try again"));
    return;
  }
  const context: AppContext = {
    api,
    me,
    refreshSeconds: metaNumber("catty-refresh-seconds", 30),
    navigate(path: string) {
      if (path !== location.pathname) history.pushState(null, "", path);
      void show(context);
    },
  };
  window.addEventListener("popstate", () => void show(context));
  await show(context);
}

void boot();
