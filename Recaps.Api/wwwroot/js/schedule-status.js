// How a schedule's state reads, on the list and on its own page alike.
import { element } from "./element.js";

const syncStates = { pending: "Waiting to reach Temporal", synced: "In Temporal", error: "Temporal refused it" };
const statuses = { active: "Active", paused: "Paused", completed: "Completed" };

/** The user's own pause and an operator's read differently: only the operator can lift theirs. */
export function status(schedule) {
  const shown = [element("p", statuses[schedule.status] ?? schedule.status, "status")];
  if (schedule.pausedBy === "operator") {
    shown.push(element("p", `Paused by an operator${schedule.pauseReason ? `: ${schedule.pauseReason}` : ""}. Only an operator can resume it.`, "operator-pause"));
  } else if (schedule.pausedBy === "user") {
    shown.push(element("p", `Paused by you${schedule.pauseReason ? `: ${schedule.pauseReason}` : ""}`, "user-pause"));
  }
  return shown;
}

export function sync(schedule) {
  const shown = [element("p", syncStates[schedule.sync.state] ?? schedule.sync.state, "sync")];
  if (schedule.sync.error) {
    shown.push(element("p", schedule.sync.error, "sync-error"));
  }
  return shown;
}
