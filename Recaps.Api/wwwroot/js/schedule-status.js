// How a schedule's state reads, on the list and on its own page alike.
const syncStates = { pending: "Waiting to reach Temporal", synced: "In Temporal", error: "Temporal refused it" };
const statuses = { active: "Active", paused: "Paused", completed: "Completed" };

export function text(className, content, tag = "p") {
  const element = document.createElement(tag);
  element.className = className;
  element.textContent = content;
  return element;
}

/** The user's own pause and an operator's read differently: only the operator can lift theirs. */
export function status(schedule) {
  const shown = [text("status", statuses[schedule.status] ?? schedule.status)];
  if (schedule.pausedBy === "operator") {
    shown.push(text("operator-pause", `Paused by an operator${schedule.pauseReason ? `: ${schedule.pauseReason}` : ""}. Only an operator can resume it.`));
  } else if (schedule.pausedBy === "user") {
    shown.push(text("user-pause", `Paused by you${schedule.pauseReason ? `: ${schedule.pauseReason}` : ""}`));
  }
  return shown;
}

export function sync(schedule) {
  const shown = [text("sync", syncStates[schedule.sync.state] ?? schedule.sync.state)];
  if (schedule.sync.error) {
    shown.push(text("sync-error", schedule.sync.error));
  }
  return shown;
}
