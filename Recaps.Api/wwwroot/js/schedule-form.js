// The create and edit form (new.html; new.html?id=<schedule> edits): the body is the create body
// (PUT replaces every editable field), checked by the API, whose errors go next to the field they name.
import { callApi, ApiProblem } from "./api.js";
import { requireSession } from "./session.js";
import { nextRunItem } from "./wall-time.js";
import { clearFieldError, fieldOf, showFieldErrors } from "./field-errors.js";
import { targetList } from "./delivery-targets.js";

const form = document.getElementById("schedule-form");
const editing = new URLSearchParams(location.search).get("id");
// The schedule's own targets, edited as the user's are on delivery.html; sent only when chosen.
const ownTargets = targetList(document.getElementById("own-targets"), "deliverTo");
// Each field that shows errors: the API names it, or one of its items ("skipDates[1]"); the targets' come from their editor ("deliverTo[0].url").
const fields = ["title", "daysOfWeek", "timeOfDay", "timeZone", "channelIds", "recurring", "agent", "customInstructions", "skipIfEmpty", "skipDates"];
const timing = ["daysOfWeek", "timeOfDay", "timeZone", "recurring", "skipDates"];
const previewCount = 10;
// Runs read ahead (the API's most) to find the next change of clocks when it is beyond the first few.
const lookAhead = 50;
// One key per body sent: a double submit, or a retry after a lost answer, creates one schedule.
let submitted = { body: null, key: null };

function checkedValues(name) {
  return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map(input => input.value);
}

function listed(text) {
  return text.split(",").map(item => item.trim()).filter(item => item !== "");
}

function fieldIds() {
  return [...fields, ...ownTargets.fieldIds()];
}

function body() {
  const channelMode = form.elements.channelMode.value;
  const instructions = form.elements.customInstructions.value.trim();
  return {
    title: form.elements.title.value,
    daysOfWeek: checkedValues("day"),
    timeOfDay: form.elements.timeOfDay.value.trim(),
    timeZone: form.elements.timeZone.value.trim(),
    channelMode,
    channelIds: channelMode === "specific" ? checkedValues("channel") : [],
    recurring: form.elements.recurring.checked,
    agent: form.elements.agent.value,
    customInstructions: instructions === "" ? null : instructions,
    skipIfEmpty: form.elements.skipIfEmpty.checked,
    skipDates: listed(form.elements.skipDates.value),
    deliverTo: form.elements.deliveryMode.value === "own" ? ownTargets.targets() : undefined,
  };
}

// The preview depends on the timing alone: a missing title or channel does not hold it back.
let previewed = 0;
async function preview() {
  const sequence = ++previewed;
  const draft = body();
  const request = { ...draft, title: draft.title.trim() || "Preview", channelMode: "allUnreads", channelIds: [], deliverTo: undefined };
  const state = document.getElementById("preview-state");
  const runs = document.getElementById("preview-runs");
  const later = document.getElementById("preview-later");
  try {
    const { nextRuns } = await callApi(`v1/schedules/preview?count=${lookAhead}`, { method: "POST", body: request });
    if (sequence !== previewed) {
      return;
    }
    const shown = nextRuns.slice(0, previewCount);
    const clockChange = nextRuns.slice(previewCount).find(run => run.note);
    state.textContent = `The next ${shown.length} runs, in ${draft.timeZone}:`;
    runs.replaceChildren(...shown.map(nextRunItem));
    later.hidden = !clockChange;
    document.getElementById("clock-change").replaceChildren(...(clockChange ? [nextRunItem(clockChange)] : []));
  } catch (error) {
    if (sequence !== previewed) {
      return;
    }
    const reasons = error instanceof ApiProblem
      ? Object.entries(error.errors).filter(([key]) => fieldOf(timing, key)).flatMap(([, texts]) => texts)
      : [];
    state.textContent = `No preview: ${reasons.length > 0 ? reasons.join(" ") : error.message}`;
    runs.replaceChildren();
    later.hidden = true;
  }
}

let previewTimer;
function previewSoon() {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(preview, 300);
}

function showOwnTargets() {
  document.getElementById("own-targets").hidden = form.elements.deliveryMode.value !== "own";
  document.getElementById("channel-options").hidden = form.elements.channelMode.value !== "specific";
}

async function loadChannels(chosen) {
  const options = document.getElementById("channel-options");
  try {
    const { items } = await callApi("v1/channels");
    options.replaceChildren(...items.map(channel => {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = "checkbox";
      input.name = "channel";
      input.value = channel.id;
      input.checked = chosen.includes(channel.id);
      label.append(input, ` ${channel.name}`);
      return label;
    }));
    if (items.length === 0) {
      options.textContent = "You are not a member of any channel yet.";
    }
  } catch (error) {
    options.textContent = `Could not load your channels: ${error.message}`;
  }
}

/** The agents this deployment has; the schedule's own stays listed even if it is no longer configured. */
async function loadAgents(current) {
  const select = form.elements.agent;
  const names = new Set(["extractive", current]);
  try {
    const { items } = await callApi("v1/agents");
    items.forEach(agent => names.add(agent.name));
  } catch {
    // An API without the list still accepts every agent it has; the schedule's own and the built-in one are offered.
  }
  select.replaceChildren(...[...names].map(name => new Option(name, name)));
  select.value = current;
}

function zones() {
  document.getElementById("zones").replaceChildren(...Intl.supportedValuesOf("timeZone").map(zone => new Option(zone)));
  form.elements.timeZone.value = Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** An edited schedule's fields as the API stores them; write-only webhook details are asked for again. */
function fill(schedule) {
  form.elements.title.value = schedule.title;
  for (const day of form.querySelectorAll('input[name="day"]')) {
    day.checked = schedule.daysOfWeek.includes(day.value);
  }
  form.elements.timeOfDay.value = schedule.timeOfDay;
  form.elements.timeZone.value = schedule.timeZone;
  form.elements.channelMode.value = schedule.channelMode;
  form.elements.recurring.checked = schedule.recurring;
  form.elements.customInstructions.value = schedule.customInstructions ?? "";
  form.elements.skipIfEmpty.checked = schedule.skipIfEmpty;
  form.elements.skipDates.value = schedule.skipDates.join(", ");
  if (schedule.deliverTo) {
    form.elements.deliveryMode.value = "own";
    ownTargets.show(schedule.deliverTo);
  }
}

async function save(event) {
  event.preventDefault();
  const submit = form.querySelector("button[type=submit]");
  submit.disabled = true;
  try {
    const sent = JSON.stringify(body());
    if (editing) {
      await callApi(`v1/schedules/${encodeURIComponent(editing)}`, { method: "PUT", body: JSON.parse(sent) });
      location.assign(`schedule.html?id=${encodeURIComponent(editing)}`);
      return;
    }
    if (sent !== submitted.body) {
      submitted = { body: sent, key: crypto.randomUUID() };
    }
    await callApi("v1/schedules", { method: "POST", body: JSON.parse(sent), headers: { "Idempotency-Key": submitted.key } });
    location.assign("./");
  } catch (error) {
    const errors = error instanceof ApiProblem ? error.errors : {};
    const verb = editing ? "Not saved" : "Not created";
    showFieldErrors(fieldIds(), errors, document.getElementById("form-error"),
      Object.keys(errors).length > 0 ? `${verb}: see the fields marked below.` : `${verb}: ${error.message}`);
  } finally {
    submit.disabled = false;
  }
}

async function start() {
  zones();
  let schedule = null;
  if (editing) {
    document.title = "Edit schedule · Recaps";
    document.getElementById("form-heading").textContent = "Edit schedule";
    form.querySelector("button[type=submit]").textContent = "Save";
    document.querySelector('nav a[aria-current="page"]')?.removeAttribute("aria-current");
    schedule = await callApi(`v1/schedules/${encodeURIComponent(editing)}`);
    fill(schedule);
  }
  showOwnTargets();
  form.addEventListener("input", event => {
    clearFieldError(fieldIds(), event.target);
    previewSoon();
  });
  form.addEventListener("change", showOwnTargets);
  form.addEventListener("submit", save);
  preview();
  await Promise.all([loadChannels(schedule?.channelIds ?? []), loadAgents(schedule?.agent ?? "extractive")]);
  // Usable only now: typing before the schedule arrived would be overwritten by it, and a save
  // before the channels arrived would send none.
  document.getElementById("form-fields").disabled = false;
}

if (requireSession()) {
  start().catch(error => {
    document.getElementById("form-error").textContent = `Could not load the schedule: ${error.message}`;
  });
}
