import { callApi } from "./api.js";
import { requireSession } from "./session.js";
import { nextRunItem } from "./wall-time.js";

const syncStates = { pending: "Waiting to reach Temporal", synced: "In Temporal", error: "Temporal refused it" };
const statuses = { active: "Active", paused: "Paused", completed: "Completed" };

function cell(...content) {
  const td = document.createElement("td");
  td.append(...content);
  return td;
}

function text(className, content) {
  const element = document.createElement("p");
  element.className = className;
  element.textContent = content;
  return element;
}

/** The user's own pause and an operator's read differently: only the operator can lift theirs. */
function status(schedule) {
  const shown = [text("status", statuses[schedule.status] ?? schedule.status)];
  if (schedule.pausedBy === "operator") {
    shown.push(text("operator-pause", `Paused by an operator${schedule.pauseReason ? `: ${schedule.pauseReason}` : ""}. Only an operator can resume it.`));
  } else if (schedule.pausedBy === "user") {
    shown.push(text("user-pause", `Paused by you${schedule.pauseReason ? `: ${schedule.pauseReason}` : ""}`));
  }
  return shown;
}

function nextRun(schedule) {
  const run = schedule.nextRuns.find(r => !r.skipped) ?? schedule.nextRuns[0];
  if (!run) {
    return [text("muted", "None")];
  }
  const list = document.createElement("ul");
  list.className = "runs";
  list.append(nextRunItem(run));
  return [list, text("zone", schedule.timeZone)];
}

function sync(schedule) {
  const shown = [text("sync", syncStates[schedule.sync.state] ?? schedule.sync.state)];
  if (schedule.sync.error) {
    shown.push(text("sync-error", schedule.sync.error));
  }
  return shown;
}

if (requireSession()) {
  const state = document.getElementById("list-state");
  try {
    const { items } = await callApi("v1/schedules");
    const rows = items.map(schedule => {
      const row = document.createElement("tr");
      const title = document.createElement("th");
      title.scope = "row";
      title.textContent = schedule.title;
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
