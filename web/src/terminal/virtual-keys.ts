import { h } from "../ui/dom";
import { keyBytes, type StickyModifiers, type VirtualKey } from "./keys";

const KEYS: { text: string; label: string; key: VirtualKey }[] = [
  { text: "Esc", label: "Esc", key: "Escape" },
  { text: "Tab", label: "Tab", key: "Tab" },
  { text: "⇧Tab", label: "Shift Tab", key: "ShiftTab" },
  { text: "^C", label: "Control C", key: "CtrlC" },
  { text: "^D", label: "Control D", key: "CtrlD" },
  { text: "^Z", label: "Control Z", key: "CtrlZ" },
  { text: "^L", label: "Control L", key: "CtrlL" },
  { text: "←", label: "Left arrow", key: "Left" },
  { text: "↑", label: "Up arrow", key: "Up" },
  { text: "↓", label: "Down arrow", key: "Down" },
  { text: "→", label: "Right arrow", key: "Right" },
  { text: "⌫", label: "Backspace", key: "Backspace" },
  { text: "⏎", label: "Enter", key: "Enter" },
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
  const bar = h("div", { class: "virtual-keys", role: "toolbar", "aria-label": "Terminal keys" },
    modifier("ctrl", "Ctrl", "Ctrl (sticky)"),
    modifier("alt", "Alt", "Alt (sticky)"),
    ...KEYS.map(k => h("button", {
      class: "key", type: "button", "aria-label": k.label, "data-key": k.text,
      onclick: () => send(modifiers.apply(keyBytes(k.key, applicationCursor()))),
    }, k.text)));
  // Keep the terminal's (and so the phone keyboard's) focus when a key is tapped.
  bar.addEventListener("pointerdown", event => event.preventDefault());
  return bar;
}
