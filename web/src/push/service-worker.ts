// The dashboard's service worker: shows the server's pushes as notifications and opens the session on a tap.
// Built on its own into /sw.js (scope "/"), served with the dashboard's Content-Security-Policy.
import { isSessionPath, openSession, parsePushPayload, type WindowClients } from "./notification";

// The DOM library is the one this project compiles against; the few service-worker types used are named here.
interface ExtendableEvent extends Event { waitUntil(promise: Promise<unknown>): void }
interface PushEvent extends ExtendableEvent { data: { text(): string } | null }
interface NotificationEvent extends ExtendableEvent { notification: Notification }
interface WorkerScope {
  registration: ServiceWorkerRegistration;
  location: Location;
  clients: WindowClients & { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: "push", listener: (event: PushEvent) => void): void;
  addEventListener(type: "notificationclick", listener: (event: NotificationEvent) => void): void;
  addEventListener(type: "install" | "activate", listener: (event: ExtendableEvent) => void): void;
}

const worker = self as unknown as WorkerScope;

worker.addEventListener("install", event => event.waitUntil(worker.skipWaiting()));
worker.addEventListener("activate", event => event.waitUntil(worker.clients.claim()));

worker.addEventListener("push", event => {
  const payload = parsePushPayload(event.data?.text());
  if (!payload) return;
  event.waitUntil(worker.registration.showNotification(payload.title, {
    body: payload.body,
    // One notification per session: a newer state replaces the older one.
    tag: payload.sessionId,
    icon: "/icons/icon-192.png",
    data: { url: payload.url },
  }));
});

worker.addEventListener("notificationclick", event => {
  event.notification.close();
  const path: unknown = (event.notification.data as { url?: unknown } | null)?.url;
  const target = isSessionPath(path) ? path : "/";
  event.waitUntil(openSession(worker.clients, new URL(target, worker.location.origin).href));
});
