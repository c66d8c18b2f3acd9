// The terminal WebSocket's control messages, mirrored from Catty.Sdk/Terminal/ControlMessage.cs.
// Binary frames carry raw PTY bytes both ways; text frames carry one of these as JSON.
// Both sides are held to the golden files in tests/fixtures/protocol.

/** Largest control message accepted, in bytes (ControlMessageParser.MaxMessageBytes). */
export const MAX_MESSAGE_BYTES = 64 * 1024;

// client → server

/** The client's terminal is now cols × rows cells. */
export interface ResizeMessage { type: "resize"; cols: number; rows: number }
/** Deliver a signal (e.g. "SIGINT") to the program's foreground process group. */
export interface SignalMessage { type: "signal"; name: string }
/** Keepalive probe; the peer answers with pong. Either side may send it. */
export interface PingMessage { type: "ping" }
/** Answer to ping. */
export interface PongMessage { type: "pong" }
/** The client wants (or no longer wants) file_change messages for workspace edits. */
export interface SyncBackMessage { type: "sync_back"; enabled: boolean }
/** A whole small file to place under the workspace's upload folder; content is base64. */
export interface FileUploadMessage { type: "file_upload"; filename: string; content: string; remote_path?: string; mime_type?: string }
/** One piece of a larger upload; pieces are reassembled in chunk_index order. */
export interface FileUploadChunkMessage {
  type: "file_upload_chunk"; upload_id: string; filename: string; chunk_index: number; total_chunks: number;
  content: string; remote_path?: string; mime_type?: string;
}

// server → client

/** The screen replay has been sent; what follows is live output. */
export interface ReadyMessage { type: "ready" }
/** The program ended with exit code, or was killed by signal (e.g. "SIGKILL"). */
export interface ExitMessage { type: "exit"; code?: number; signal?: string }
/** Something the client sent could not be used; the session goes on. */
export interface ErrorMessage { type: "error"; message: string }
/** Confirms sync_back; names the workspace root and how often changes are batched. */
export interface SyncBackAckMessage { type: "sync_back_ack"; enabled: boolean; workspace_dir: string; interval_ms: number }
/** A workspace file was written (content base64, mode) or deleted; path relative to the root. */
export interface FileChangeMessage { type: "file_change"; action: string; path: string; content?: string; mode?: number }

export type ControlMessage =
  | ResizeMessage | SignalMessage | PingMessage | PongMessage | SyncBackMessage | FileUploadMessage | FileUploadChunkMessage
  | ReadyMessage | ExitMessage | ErrorMessage | SyncBackAckMessage | FileChangeMessage;

export type ControlType = ControlMessage["type"];

type FieldKind = "string" | "int" | "bool";
interface Field { name: string; kind: FieldKind; optional?: boolean }

const req = (name: string, kind: FieldKind): Field => ({ name, kind });
const opt = (name: string, kind: FieldKind): Field => ({ name, kind, optional: true });

/** Every message type and its fields, in the order the C# records serialize them. */
const SCHEMA: Record<ControlType, Field[]> = {
  resize: [req("cols", "int"), req("rows", "int")],
  signal: [req("name", "string")],
  ping: [],
  pong: [],
  sync_back: [req("enabled", "bool")],
  file_upload: [req("filename", "string"), req("content", "string"), opt("remote_path", "string"), opt("mime_type", "string")],
  file_upload_chunk: [
    req("upload_id", "string"), req("filename", "string"), req("chunk_index", "int"), req("total_chunks", "int"),
    req("content", "string"), opt("remote_path", "string"), opt("mime_type", "string"),
  ],
  ready: [],
  exit: [opt("code", "int"), opt("signal", "string")],
  error: [req("message", "string")],
  sync_back_ack: [req("enabled", "bool"), req("workspace_dir", "string"), req("interval_ms", "int")],
  file_change: [req("action", "string"), req("path", "string"), opt("content", "string"), opt("mode", "int")],
};

export const CONTROL_TYPES = Object.keys(SCHEMA) as ControlType[];

export type ParseResult = { ok: true; message: ControlMessage } | { ok: false; error: string };

const fits = (value: unknown, kind: FieldKind): boolean =>
  kind === "string" ? typeof value === "string"
    : kind === "bool" ? typeof value === "boolean"
      : typeof value === "number" && Number.isInteger(value) && value >= -2147483648 && value <= 2147483647;

/** Parses a text frame; never throws. Unknown fields are ignored, as System.Text.Json does. */
export function parseControl(text: string): ParseResult {
  if (text.length === 0) return { ok: false, error: "empty control message" };
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > MAX_MESSAGE_BYTES) return { ok: false, error: `control message too large (${bytes} bytes, limit ${MAX_MESSAGE_BYTES})` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `invalid control message: ${(e as Error).message}` };
  }
  if (json === null) return { ok: false, error: "invalid control message: null" };
  if (typeof json !== "object" || Array.isArray(json)) return { ok: false, error: "invalid control message: not an object" };
  const record = json as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== "string" || !(type in SCHEMA)) return { ok: false, error: 'invalid control message: unknown or missing "type"' };
  const message: Record<string, unknown> = { type };
  for (const field of SCHEMA[type as ControlType]) {
    const value = record[field.name];
    if (value === undefined || value === null) {
      if (field.optional) continue;
      return { ok: false, error: `invalid control message: "${type}" needs "${field.name}"` };
    }
    if (!fits(value, field.kind)) return { ok: false, error: `invalid control message: "${field.name}" must be ${field.kind}` };
    message[field.name] = value;
  }
  return { ok: true, message: message as unknown as ControlMessage };
}

/** JSON for a text frame: "type" first, then fields in schema order, absent optional fields left out. */
export function encodeControl(message: ControlMessage): string {
  const source = message as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = { type: message.type };
  for (const field of SCHEMA[message.type]) {
    const value = source[field.name];
    if (value !== undefined && value !== null) out[field.name] = value;
  }
  return JSON.stringify(out);
}
