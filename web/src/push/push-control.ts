// The notifications panel of the sessions page: turns this browser's push subscription on and off and
// chooses which events it gets. The subscription lives in the browser (PushManager, through /sw.js) and on
// the server (POST/DELETE /v1/push/subscriptions); both are changed together.
import { ApiError, type Api } from "../api/client";
import { h } from "../ui/dom";

export const PUSH_EVENTS: ReadonlyArray<{ event: string; label: string }> = [
  { event: "needs_input", label: "Needs you" },
  { event: "idle", label: "Finished its turn" },
  { event: "stopped", label: "Stopped on its own" },
  { event: "expiring", label: "Stops in 10 minutes" },
];

/** The applicationServerKey PushManager.subscribe takes, from the server's base64url key. */
export function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((base64url.length + 3) % 4);
  const text = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(text.length));
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

export class PushControl {
  readonly element: HTMLDetailsElement;
  private readonly state = h("p", { class: "push-state", "aria-live": "polite" });
  private readonly toggle = h("button", { class: "button small", type: "button" }, "Turn on");
  private readonly boxes = new Map<string, HTMLInputElement>();
  private registration: ServiceWorkerRegistration | undefined;
  private subscription: PushSubscription | null = null;

  constructor(private readonly api: Api) {
    const switches = PUSH_EVENTS.map(({ event, label }) => {
      const box = h("input", { type: "checkbox", name: event, checked: true, onchange: () => void this.saveEvents() });
      this.boxes.set(event, box);
      return h("label", { class: "push-switch" }, box, " ", label);
    });
    this.toggle.addEventListener("click", () => void (this.subscription ? this.turnOff() : this.turnOn()));
    this.element = h("details", { class: "push-panel" },
      h("summary", {}, "Notifications"),
      this.state,
      h("fieldset", { class: "push-switches" }, h("legend", {}, "Notify me when a session…"), ...switches),
      this.toggle);
    void this.load();
  }

  private get supported(): boolean {
    return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  }

  private async load(): Promise<void> {
    if (!this.supported) {
      this.show("This browser cannot receive notifications here (on an iPhone, add Catty to the home screen first).");
      this.toggle.disabled = true;
      return;
    }
    try {
      this.registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
      this.subscription = await this.registration.pushManager.getSubscription();
      if (this.subscription) {
        const mine = (await this.api.pushSubscriptions()).find(s => s.endpoint === this.subscription?.endpoint);
        if (mine) for (const [event, box] of this.boxes) box.checked = mine.events.includes(event);
      }
      this.render();
    } catch (error) {
      this.show(`Notifications are unavailable: ${describe(error)}`);
    }
  }

  private async turnOn(): Promise<void> {
    this.toggle.disabled = true;
    try {
      if (await Notification.requestPermission() !== "granted") {
        this.show("Notifications are blocked for this site; allow them in the browser's settings.");
        return;
      }
      const registration = this.registration ?? await navigator.serviceWorker.register("/sw.js", { scope: "/" });
      const { public_key } = await this.api.pushKey();
      const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(public_key) });
      await this.api.subscribePush(subscription.toJSON(), this.events());
      this.subscription = subscription;
      this.render();
    } catch (error) {
      this.show(`Notifications could not be turned on: ${describe(error)}`);
    } finally {
      this.toggle.disabled = false;
    }
  }

  private async turnOff(): Promise<void> {
    const subscription = this.subscription;
    if (!subscription) return;
    this.toggle.disabled = true;
    try {
      await this.api.unsubscribePush(subscription.endpoint).catch(error => {
        if (!(error instanceof ApiError && error.status === 404)) throw error;
      });
      await subscription.unsubscribe();
      this.subscription = null;
      this.render();
    } catch (error) {
      this.show(`Notifications could not be turned off: ${describe(error)}`);
    } finally {
      this.toggle.disabled = false;
    }
  }

  private async saveEvents(): Promise<void> {
    if (!this.subscription) return;
    try {
      await this.api.subscribePush(this.subscription.toJSON(), this.events());
      this.show("Saved.");
    } catch (error) {
      this.show(`Could not save: ${describe(error)}`);
    }
  }

  private events(): string[] {
    return PUSH_EVENTS.map(e => e.event).filter(event => this.boxes.get(event)?.checked);
  }

  private render(): void {
    this.toggle.textContent = this.subscription ? "Turn off" : "Turn on";
    this.show(this.subscription ? "On for this browser." : "Off for this browser.");
  }

  private show(text: string): void {
    this.state.textContent = text;
  }
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
