// What a push from the server carries (PushPayload on the server) and how it becomes a notification.
// Everything is checked before use: a notification shows plain text only, and a tap opens a session page of
// this dashboard, never another address.

export interface PushPayload {
  event: string;
  sessionId: string;
  label: string;
  title: string;
  body: string;
  url: string;
}

const events = new Set(["needs_input", "idle", "stopped", "expiring"]);

/** The payload when it is one the server sends; undefined otherwise. */
export function parsePushPayload(text: string | undefined | null): PushPayload | undefined {
  if (!text || text.length > 4096) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof data !== "object" || data === null) return undefined;
  const d = data as Record<string, unknown>;
  const str = (v: unknown, max: number) => (typeof v === "string" && v.length <= max ? v : undefined);
  const event = str(d.event, 20);
  const sessionId = str(d.session_id, 40);
  const label = str(d.label, 100);
  const title = str(d.title, 200);
  const body = str(d.body, 400) ?? "";
  if (!event || !events.has(event) || !sessionId || !label || !title) return undefined;
  return { event, sessionId, label, title, body, url: sessionUrl(label) };
}

/** The dashboard path of a session, made here from its label rather than taken from the message. */
export const sessionUrl = (label: string): string => `/sessions/${encodeURIComponent(label)}`;

/** Whether a notification's stored path is one this dashboard opens on a tap. */
export const isSessionPath = (path: unknown): path is string =>
  typeof path === "string" && /^\/sessions\/[^/?#\\]+$/.test(path);

/** The part of a service worker's `clients` that a tap uses. */
export interface WindowClient { url: string; focus(): Promise<WindowClient>; navigate(url: string): Promise<WindowClient | null> }
export interface WindowClients {
  matchAll(options: { type: "window"; includeUncontrolled: boolean }): Promise<WindowClient[]>;
  openWindow(url: string): Promise<WindowClient | null>;
}

/**
 * Shows `url` (absolute, on this origin): the window already showing it, else a dashboard window moved
 * there, else a new window.
 */
export async function openSession(clients: WindowClients, url: string): Promise<void> {
  const origin = new URL(url).origin;
  const windows = await clients.matchAll({ type: "window", includeUncontrolled: true });
  const same = windows.find(w => w.url === url) ?? windows.find(w => new URL(w.url).origin === origin);
  if (same) {
    const shown = same.url === url ? same : (await same.navigate(url).catch(() => null)) ?? same;
    await shown.focus().catch(() => undefined);
    return;
  }
  await clients.openWindow(url);
}
