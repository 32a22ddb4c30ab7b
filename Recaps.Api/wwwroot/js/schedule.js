// One schedule (schedule.html?id=<id>): its settings and next runs, what the user can do to it, and its runs.
import { callApi, ApiProblem } from "./api.js";
import { requireSession } from "./session.js";
import { claimsOf } from "./jwt.js";
import { nextRunItem } from "./wall-time.js";
import { status, sync } from "./schedule-status.js";
import { element, link } from "./element.js";
import { zonedTime } from "./zoned-time.js";

const id = new URLSearchParams(location.search).get("id");
const path = `v1/schedules/${encodeURIComponent(id ?? "")}`;
const actionState = document.getElementById("action-state");
// How often run-now progress and the runs are read again while a run is under way.
const pollInterval = 1000;
const runStates = {
  pending: "Waiting for Temporal to start it…",
  running: "Running: reading the channels and writing the recap…",
  completed: "Recap stored.",
  failed: "The run failed.",
  skipped: "Skipped.",
  missed: "Missed.",
};
let schedule = null;

/** Whether the signed-in user is an admin: only admins are shown the way into the Temporal Web UI. */
function isAdmin(session) {
  try {
    const { role } = claimsOf(session.accessToken);
    return role === "admin" || (Array.isArray(role) && role.includes("admin"));
  } catch {
    return false;
  }
}

function settings() {
  const days = schedule.daysOfWeek.map(day => day[0].toUpperCase() + day.slice(1)).join(", ");
  const delivery = schedule.deliverTo
    ? schedule.deliverTo.map(target => target.address ? `${target.type} (${target.address})` : target.type).join(", ")
    : "My delivery targets";
  const rows = [
    ["Days", days],
    ["Time of day", schedule.timeOfDay],
    ["Time zone", schedule.timeZone],
    ["Channels", schedule.channelMode === "allUnreads" ? "Everything I have not read" : schedule.channelIds.join(", ")],
    ["Repeats", schedule.recurring ? "Every week" : "Once"],
    ["Agent", schedule.agent],
    ["Instructions", schedule.customInstructions ?? "None"],
    ["Skip when nothing was posted", schedule.skipIfEmpty ? "Yes" : "No"],
    ["Dates to skip", schedule.skipDates.length > 0 ? schedule.skipDates.join(", ") : "None"],
    ["Delivery", delivery],
  ];
  document.getElementById("settings").replaceChildren(...rows.flatMap(([term, value]) => [element("dt", term), element("dd", value)]));
}

/** Only what applies now is offered: a paused schedule cannot run now; a completed one can only be edited or deleted. */
function actions() {
  const pausedByUser = schedule.pausedBy === "user";
  const paused = schedule.status === "paused";
  const completed = schedule.status === "completed";
  document.getElementById("run-now").hidden = paused || completed;
  document.getElementById("skip-next").hidden = paused || completed || !schedule.recurring;
  document.getElementById("pause-form").hidden = pausedByUser || completed;
  document.getElementById("resume").hidden = !pausedByUser;
}

function show() {
  document.title = `${schedule.title} · Recaps`;
  document.getElementById("schedule-title").textContent = schedule.title;
  document.getElementById("status").replaceChildren(...status(schedule), ...sync(schedule));
  document.getElementById("edit").href = `new.html?id=${encodeURIComponent(schedule.id)}`;
  document.getElementById("next-runs").replaceChildren(...schedule.nextRuns.map(nextRunItem));
  settings();
  actions();
}

function runRow(run, admin) {
  const row = document.createElement("tr");
  const due = element("td");
  due.append(zonedTime(run.nominalTime, schedule.timeZone));
  const details = element("td");
  details.textContent = [run.reason, run.error].filter(Boolean).join(": ");
  if (admin && run.temporalUiUrl) {
    details.append(" ", link(run.temporalUiUrl, "Workflow in Temporal"));
  }
  const recap = element("td");
  if (run.recapId) {
    recap.append(link(`recap.html?id=${encodeURIComponent(run.recapId)}`, "Open recap"));
  }
  row.append(due, element("td", run.status), details, recap);
  return row;
}

async function loadRuns(admin) {
  const { items } = await callApi(`${path}/runs`);
  document.getElementById("run-rows").replaceChildren(...items.map(run => runRow(run, admin)));
  document.getElementById("runs").hidden = items.length === 0;
  document.getElementById("runs-state").textContent = items.length === 0 ? "No runs yet." : "";
  return items;
}

async function reload() {
  schedule = await callApi(path);
  show();
}

/** Runs an action, then shows the schedule as the API answers it; a refusal is said in words. */
async function act(button, request, done) {
  button.disabled = true;
  try {
    const answer = await request();
    if (answer?.id === schedule.id) {
      schedule = answer;
      show();
    }
    actionState.textContent = done;
    return answer;
  } catch (error) {
    actionState.textContent = error.message;
    return null;
  } finally {
    button.disabled = false;
  }
}

/** Run now, then follow the run until it ends: the recap is stored, or why not. */
async function runNow(admin) {
  const button = document.getElementById("run-now");
  const accepted = await act(button, () => callApi(`${path}/run`, { method: "POST" }), runStates.pending);
  if (!accepted) {
    return;
  }
  for (;;) {
    let run;
    try {
      run = (await loadRuns(admin)).find(item => item.id === accepted.runId);
    } catch (error) {
      actionState.textContent = `The run was started, but its progress could not be read: ${error.message} Reload the page to see it.`;
      return;
    }
    actionState.replaceChildren(`Run now: ${runStates[run?.status ?? "pending"]}`);
    if (run && !["pending", "running"].includes(run.status)) {
      if (run.error) {
        actionState.append(` ${run.error}`);
      }
      if (run.recapId) {
        actionState.append(" ", link(`recap.html?id=${encodeURIComponent(run.recapId)}`, "Open the recap"));
      }
      await reload();
      return;
    }
    await new Promise(resolve => setTimeout(resolve, pollInterval));
  }
}

function pause(event) {
  event.preventDefault();
  const reason = document.getElementById("pause-reason");
  const error = document.getElementById("pause-reason-error");
  const button = event.target.querySelector("button");
  return act(button, async () => {
    try {
      const paused = await callApi(`${path}/pause`, { method: "POST", body: { reason: reason.value.trim() || null } });
      error.textContent = "";
      reason.setAttribute("aria-invalid", "false");
      return paused;
    } catch (refusal) {
      if (refusal instanceof ApiProblem && refusal.errors.reason) {
        error.textContent = refusal.errors.reason.join(" ");
        reason.setAttribute("aria-invalid", "true");
        reason.focus();
      }
      throw refusal;
    }
  }, "Paused.").then(paused => paused && document.getElementById("resume").focus());
}

async function remove() {
  const dialog = document.getElementById("confirm-delete");
  dialog.returnValue = "";
  dialog.showModal();
  await new Promise(resolve => dialog.addEventListener("close", resolve, { once: true }));
  if (dialog.returnValue === "delete" && await act(document.getElementById("delete"), () => callApi(path, { method: "DELETE" }).then(() => true), "Deleted.")) {
    location.assign("./");
  }
}

async function start(session) {
  const admin = isAdmin(session);
  const loadState = document.getElementById("load-state");
  try {
    await reload();
    await loadRuns(admin);
  } catch (error) {
    loadState.textContent = error instanceof ApiProblem && error.status === 404 ? "There is no such schedule." : `Could not load the schedule: ${error.message}`;
    return;
  }
  loadState.textContent = "";
  document.getElementById("schedule").hidden = false;
  document.getElementById("run-now").addEventListener("click", () => runNow(admin));
  document.getElementById("skip-next").addEventListener("click", event =>
    act(event.target, () => callApi(`${path}/skip-next`, { method: "POST" }), "The next run will be skipped."));
  document.getElementById("pause-form").addEventListener("submit", pause);
  document.getElementById("resume").addEventListener("click", event =>
    act(event.target, () => callApi(`${path}/resume`, { method: "POST" }), "Resumed.")
      .then(resumed => resumed && document.getElementById("pause-reason").focus()));
  document.getElementById("delete").addEventListener("click", remove);
}

const session = requireSession();
if (session) {
  await start(session);
}
