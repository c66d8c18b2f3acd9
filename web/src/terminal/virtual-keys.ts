import { h } from "../ui/dom";
import { keyBytes, type StickyModifiers, type VirtualKey } from "./keys";

type KeySpec = { text: string; label: string; key: VirtualKey };

/** First the keys a phone needs most, arrows and Enter among them: on a 390 px screen these show without scrolling the bar. */
const FIRST: KeySpec[] = [
  { text: "Esc", label: "Esc", key: "Escape" },
  { text: "^C", label: "Control C", key: "CtrlC" },
  { text: "←", label: "Left arrow", key: "Left" },
  { text: "↑", label: "Up arrow", key: "Up" },
  { text: "↓", label: "Down arrow", key: "Down" },
  { text: "→", label: "Right arrow", key: "Right" },
  { text: "⏎", label: "Enter", key: "Enter" },
  { text: "Tab", label: "Tab", key: "Tab" },
];

const REST: KeySpec[] = [
  { text: "⌫", label: "Backspace", key: "Backspace" },
  { text: "⇧Tab", label: "Shift Tab", key: "ShiftTab" },
  { text: "^D", label: "Control D", key: "CtrlD" },
  { text: "^Z", label: "Control Z", key: "CtrlZ" },
  { text: "^L", label: "Control L", key: "CtrlL" },
];

/**
 * The row of keys a phone keyboard lacks. Ctrl and Alt are sticky: a tap arms them for the next key.
 * Buttons never take focus from the terminal, so the phone keyboard stays up while they are tapped.
 */
export function virtualKeys(modifiers: StickyModifiers, send: (data: string) => void, applicationCursor: () => boolean): HTMLElement {
  const modifier = (name: "ctrl" | "alt", text: string, label: string) => {
    const button = h("button", { class: "key modifier", type: "button", "aria-label": label, "aria-pressed": "false", "data-key": text }, text);
    button.addEventListener("click", () => modifiers.toggle(name));
    modifiers.onChange(() => {
      button.setAttribute("aria-pressed", String(modifiers[name]));
      button.classList.toggle("armed", modifiers[name]);
    });
    return button;
  };
  const key = (k: KeySpec) => h("button", {
    class: "key", type: "button", "aria-label": k.label, "data-key": k.text,
    onclick: () => send(modifiers.apply(keyBytes(k.key, applicationCursor()))),
  }, k.text);
  const bar = h("div", { class: "virtual-keys", role: "toolbar", "aria-label": "Terminal keys" },
    ...FIRST.map(key),
    modifier("ctrl", "Ctrl", "Ctrl (sticky)"),
    modifier("alt", "Alt", "Alt (sticky)"),
    ...REST.map(key));
  // Keep the terminal's (and so the phone keyboard's) focus when a key is tapped.
  bar.addEventListener("pointerdown", event => event.preventDefault());
  return bar;
}
