type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | EventListener | undefined>;

/** A tiny element builder: h("button", { class: "x", onclick: fn, "aria-label": "Stop" }, "Stop"). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (name in element && typeof value !== "string" && name !== "class") (element as unknown as Record<string, unknown>)[name] = value;
    else element.setAttribute(name === "class" ? "class" : name, value === true ? "" : String(value));
  }
  element.append(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
  return element;
}

/** Reads a number the server put in a <meta> of index.html, or the fallback when the page was served raw. */
export function metaNumber(name: string, fallback: number): number {
  const value = Number(document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Copies text, with a fallback for browsers (or insecure origins) without the async clipboard. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = h("textarea", { "aria-hidden": "true", style: "position:fixed;opacity:0" });
    area.value = text;
    document.body.append(area);
    area.select();
    const copied = document.execCommand("copy");
    area.remove();
    return copied;
  }
}
