import { encodeControl, parseControl, type ControlMessage } from "./protocol";
import { IDLE_TIMEOUT_MS, initialLinkState, nextLinkState, type LinkEffect, type LinkEvent, type LinkState } from "./reconnect";

/** Why a connect URL could not be had: the session is gone, the person may not, or a passing failure. */
export class OpenFailure extends Error {
  constructor(readonly kind: "ended" | "missing" | "refused" | "transient", message: string) {
    super(message);
  }
}

export interface ConnectionOptions {
  /** A fresh single-use WebSocket URL for the session (a ticket in the query, never a long-lived token). */
  openUrl(): Promise<string>;
  /** Whether the session still runs, and if not whether its program ended it; asked after a close or an exit. */
  sessionState(): Promise<"running" | "exited" | "stopped" | "missing">;
  idleTimeoutMs?: number;
}

export interface OutputListener {
  /** A new socket is about to replay the screen: whatever was drawn before is replaced. */
  reconnected?(): void;
  /** PTY bytes; replay is true until the server's ready. */
  output(bytes: Uint8Array, replay: boolean): void;
}

/**
 * The terminal WebSocket with keepalive and reconnect. The decisions are reconnect.ts's; this class
 * only carries them out (sockets, timers, browser online/offline events).
 */
export class TerminalConnection {
  private state: LinkState = initialLinkState;
  private socket: WebSocket | undefined;
  private retryTimer: number | undefined;
  private idleTimer: number | undefined;
  private replaying = false;
  private size: { cols: number; rows: number } | undefined;
  private readonly outputs = new Set<OutputListener>();
  private readonly stateListeners = new Set<(state: LinkState) => void>();
  private readonly encoder = new TextEncoder();
  private readonly onOnline = () => this.dispatch({ type: "online" });
  private readonly onOffline = () => this.dispatch({ type: "offline" });

  constructor(private readonly options: ConnectionOptions) {}

  get current(): LinkState {
    return this.state;
  }

  onOutput(listener: OutputListener): void {
    this.outputs.add(listener);
  }

  onState(listener: (state: LinkState) => void): void {
    this.stateListeners.add(listener);
    listener(this.state);
  }

  start(): void {
    window.addEventListener("online", this.onOnline);
    window.addEventListener("offline", this.onOffline);
    this.dispatch({ type: "start" });
  }

  retry(): void {
    this.dispatch({ type: "retry" });
  }

  stop(): void {
    window.removeEventListener("online", this.onOnline);
    window.removeEventListener("offline", this.onOffline);
    this.dispatch({ type: "stop" });
  }

  /** Input for the PTY, as a binary frame of UTF-8 bytes. */
  send(data: string | Uint8Array<ArrayBuffer>): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(typeof data === "string" ? this.encoder.encode(data) : data);
    return true;
  }

  resize(cols: number, rows: number): void {
    if (this.size?.cols === cols && this.size.rows === rows) return;
    this.size = { cols, rows };
    this.control({ type: "resize", cols, rows });
  }

  private control(message: ControlMessage): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(encodeControl(message));
  }

  private dispatch(event: LinkEvent): void {
    const { state, effects } = nextLinkState(this.state, event);
    const changed = state !== this.state;
    this.state = state;
    for (const effect of effects) this.run(effect);
    if (changed) for (const listener of this.stateListeners) listener(state);
  }

  private run(effect: LinkEffect): void {
    switch (effect.type) {
      case "connect": return void this.connect();
      case "close": return this.closeSocket();
      case "checkSession": return void this.checkSession();
      case "scheduleRetry":
        window.clearTimeout(this.retryTimer);
        this.retryTimer = window.setTimeout(() => this.dispatch({ type: "retryDue" }), effect.delayMs);
        return;
      case "cancelRetry":
        window.clearTimeout(this.retryTimer);
        this.retryTimer = undefined;
        return;
    }
  }

  private async connect(): Promise<void> {
    let url: string;
    try {
      url = await this.options.openUrl();
    } catch (error) {
      if (this.state.status !== "connecting") return;
      const failure = error instanceof OpenFailure ? error : new OpenFailure("transient", String(error));
      if (failure.kind === "ended") this.dispatch({ type: "sessionEnded", byProgram: false });
      else if (failure.kind === "missing") this.dispatch({ type: "sessionMissing", message: failure.message });
      else if (failure.kind === "refused") this.dispatch({ type: "refused", message: failure.message });
      else this.dispatch({ type: "close", code: 1006, reason: failure.message });
      return;
    }
    if (this.state.status !== "connecting") return;
    const socket = new WebSocket(url);
    socket.binaryType = "arraybuffer";
    this.socket = socket;
    socket.onopen = () => {
      if (socket !== this.socket) return;
      this.replaying = true;
      for (const listener of this.outputs) listener.reconnected?.();
      this.dispatch({ type: "open" });
      if (this.size) this.control({ type: "resize", ...this.size });
      this.armIdleTimer();
    };
    socket.onmessage = event => {
      if (socket !== this.socket) return;
      this.armIdleTimer();
      if (event.data instanceof ArrayBuffer) {
        const bytes = new Uint8Array(event.data);
        for (const listener of this.outputs) listener.output(bytes, this.replaying);
      } else {
        this.onControl(String(event.data));
      }
    };
    socket.onclose = event => {
      if (socket !== this.socket) return;
      this.socket = undefined;
      window.clearTimeout(this.idleTimer);
      this.dispatch({ type: "close", code: event.code, reason: event.reason });
    };
  }

  private onControl(text: string): void {
    const parsed = parseControl(text);
    if (!parsed.ok) {
      console.warn("Ignoring a control message:", parsed.error);
      return;
    }
    const message = parsed.message;
    switch (message.type) {
      case "ping": return this.control({ type: "pong" });
      case "ready":
        this.replaying = false;
        return this.dispatch({ type: "ready" });
      case "exit": return this.dispatch({ type: "exit", code: message.code, signal: message.signal });
      case "error": return console.warn("The session refused a message:", message.message);
      default: return;
    }
  }

  private armIdleTimer(): void {
    window.clearTimeout(this.idleTimer);
    this.idleTimer = window.setTimeout(() => this.dispatch({ type: "timeout" }), this.options.idleTimeoutMs ?? IDLE_TIMEOUT_MS);
  }

  private closeSocket(): void {
    window.clearTimeout(this.idleTimer);
    const socket = this.socket;
    this.socket = undefined;
    if (socket && socket.readyState !== WebSocket.CLOSED && socket.readyState !== WebSocket.CLOSING) socket.close(1000);
  }

  private async checkSession(): Promise<void> {
    let state: "running" | "exited" | "stopped" | "missing";
    try {
      state = await this.options.sessionState();
    } catch {
      state = "running"; // The server is unreachable too: treat it as network trouble and keep trying.
    }
    if (state === "missing") this.dispatch({ type: "sessionMissing", message: "This session no longer exists: it was deleted." });
    else this.dispatch(state === "running" ? { type: "sessionRunning" } : { type: "sessionEnded", byProgram: state === "exited" });
  }
}
