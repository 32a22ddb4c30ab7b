import { callApi } from "./api.js";
import { requireSession } from "./session.js";
import { nextRunItem } from "./wall-time.js";
import { status, sync } from "./schedule-status.js";
import { element, link } from "./element.js";

function cell(...content) {
  const td = document.createElement("td");
  td.append(...content);
  return td;
}

function nextRun(schedule) {
  const run = schedule.nextRuns.find(r => !r.skipped) ?? schedule.nextRuns[0];
  if (!run) {
    return [element("p", "None", "muted")];
  }
  const list = document.createElement("ul");
  list.className = "runs";
  list.append(nextRunItem(run));
  return [list, element("p", schedule.timeZone, "zone")];
}

if (requireSession()) {
  const state = document.getElementById("list-state");
  try {
    const { items } = await callApi("v1/schedules");
    const rows = items.map(schedule => {
      const row = document.createElement("tr");
      const title = document.createElement("th");
      title.scope = "row";
      title.append(link(`schedule.html?id=${encodeURIComponent(schedule.id)}`, schedule.title));
      row.append(title, cell(...status(schedule)), cell(...nextRun(schedule)), cell(...sync(schedule)));
      return row;
    });
    document.getElementById("schedule-rows").append(...rows);
    document.getElementById("schedules").hidden = items.length === 0;
    state.textContent = items.length === 0 ? "You have no schedules yet." : "";
  } catch (error) {
    state.textContent = `Could not load your schedules: ${error.message}`;
  }
}
