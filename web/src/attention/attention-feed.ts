// The live feed of attention changes: server-sent events from GET /v1/sessions/events, sent with the
// session cookie. EventSource reconnects by itself (the server asks for 5 s) and the server starts each
// connection with the current states, so nothing is missed across a drop.
import { parseAttentionEvent, type AttentionEvent } from "./attention";

export class AttentionFeed {
  private readonly source: EventSource | undefined;

  constructor(onChange: (change: AttentionEvent) => void) {
    if (typeof EventSource === "undefined") return;
    this.source = new EventSource("/v1/sessions/events");
    this.source.addEventListener("attention", event => {
      const change = parseAttentionEvent((event as MessageEvent<string>).data);
      if (change) onChange(change);
    });
  }

  close(): void {
    this.source?.close();
  }
}
