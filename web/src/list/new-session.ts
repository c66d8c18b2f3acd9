import type { AgentInfo, RegionInfo } from "../api/types";
import type { AppContext } from "../app/main";
import { h } from "../ui/dom";
import { describeCreateError } from "./create-errors";

const AGENT_NAMES: Record<string, string> = { claude: "Claude Code", codex: "Codex", shell: "Shell" };
const AGENT_PREFERENCE = ["claude", "codex", "shell"];
const HOURS = [1, 2, 3, 4, 5, 6, 7, 8];
const DEFAULT_HOURS = 2;

/** The "+ New Session" sheet: region, duration and agent; on success hands the new label to <started>. */
export function openNewSession(context: AppContext, started: (label: string) => void): void {
  const region = h("select", { id: "new-region", name: "region", required: true });
  const agent = h("select", { id: "new-agent", name: "agent", required: true });
  const duration = h("select", { id: "new-duration", name: "duration" },
    ...HOURS.map(n => h("option", { value: String(n), selected: n === DEFAULT_HOURS }, `${n} hour${n === 1 ? "" : "s"}`)));
  const progress = h("div", { class: "progress", hidden: true, role: "status" },
    h("span", { class: "bar", role: "progressbar", "aria-label": "Starting session" }), h("span", { class: "progress-text" }));
  const problem = h("div", { class: "error", role: "alert", hidden: true });
  const create = h("button", { class: "button primary", type: "submit", disabled: true }, "Create");
  const cancel = h("button", { class: "button quiet", type: "button", onclick: () => dialog.close() }, "Cancel");
  const form = h("form", { method: "dialog", class: "new-session" },
    h("h2", { id: "new-title" }, "New session"),
    field("Region", region), field("Duration", duration), field("Agent", agent),
    progress, problem,
    h("div", { class: "actions" }, cancel, create));
  const dialog = h("dialog", { class: "sheet", "aria-labelledby": "new-title" }, form);
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();

  const say = (title: string, detail: string) => {
    problem.hidden = false;
    problem.replaceChildren(h("strong", { class: "problem-title" }, title), h("span", { class: "problem-detail" }, " ", detail));
  };

  void Promise.all([context.api.regions(), context.api.agents()]).then(([regions, agents]) => {
    fillRegions(region, regions);
    fillAgents(agent, agents);
    create.disabled = regions.length === 0 || !agents.some(a => a.installed);
    if (regions.length === 0) say("Region unavailable", "This server has no region to run sessions in.");
    else if (create.disabled) say("Agent not installed", "None of this server's agents is installed.");
  }, error => {
    const described = describeCreateError(error);
    say("Could not load the choices", described.detail);
  });

  form.addEventListener("submit", async event => {
    event.preventDefault();
    problem.hidden = true;
    for (const control of [region, duration, agent, create]) control.disabled = true;
    progress.hidden = false;
    progress.querySelector(".progress-text")!.textContent = "Starting session…";
    try {
      const session = await context.api.create({ agent: agent.value, region: region.value, ttl_sec: Number(duration.value) * 3600 });
      progress.querySelector(".progress-text")!.textContent = `Started ${session.label}; connecting…`;
      dialog.close();
      started(session.label);
    } catch (error) {
      progress.hidden = true;
      const described = describeCreateError(error);
      say(described.title, described.detail);
      for (const control of [region, duration, agent, create]) control.disabled = false;
    }
  });
}

function field(text: string, control: HTMLSelectElement): HTMLElement {
  return h("label", { class: "field", for: control.id }, h("span", {}, text), control);
}

function fillRegions(select: HTMLSelectElement, regions: RegionInfo[]): void {
  select.replaceChildren(...regions.map(r => h("option", { value: r.id }, r.name)));
}

function fillAgents(select: HTMLSelectElement, agents: AgentInfo[]): void {
  const ordered = [...agents].sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
  select.replaceChildren(...ordered.map(a =>
    h("option", { value: a.name, disabled: !a.installed }, (AGENT_NAMES[a.name] ?? a.name) + (a.installed ? "" : " (not installed)"))));
  const first = ordered.find(a => a.installed);
  if (first) select.value = first.name;
}

const rank = (name: string): number => {
  const index = AGENT_PREFERENCE.indexOf(name);
  return index < 0 ? AGENT_PREFERENCE.length : index;
};
