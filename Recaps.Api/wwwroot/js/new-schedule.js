import { callApi, ApiProblem } from "./api.js";
import { requireSession } from "./session.js";
import { nextRunItem } from "./wall-time.js";

const form = document.getElementById("schedule-form");
const fields = ["title", "daysOfWeek", "timeOfDay", "timeZone", "channelIds"];
const timing = ["daysOfWeek", "timeOfDay", "timeZone"];
const previewCount = 10;
// One key per body sent: a double submit, or a retry after a lost answer, creates one schedule.
let submitted = { body: null, key: null };

function checkedValues(name) {
  return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map(input => input.value);
}

function body() {
  return {
    title: form.elements.title.value,
    daysOfWeek: checkedValues("day"),
    timeOfDay: form.elements.timeOfDay.value.trim(),
    timeZone: form.elements.timeZone.value.trim(),
    channelMode: "specific",
    channelIds: checkedValues("channel"),
  };
}

function showErrors(errors, message) {
  const unplaced = [];
  for (const field of fields) {
    const messages = errors[field] ?? [];
    document.getElementById(`${field}-error`).textContent = messages.join(" ");
    document.getElementById(field).setAttribute("aria-invalid", messages.length > 0 ? "true" : "false");
  }
  for (const [field, messages] of Object.entries(errors)) {
    if (!fields.includes(field)) {
      unplaced.push(...messages);
    }
  }
  document.getElementById("form-error").textContent = [message, ...unplaced].join(" ");
  const first = fields.find(field => errors[field]);
  if (first) {
    const element = document.getElementById(first);
    (element.matches("fieldset") ? element.querySelector("input") : element).focus();
  }
}

// The preview depends on the timing alone: a missing title or channel does not hold it back.
let previewed = 0;
async function preview() {
  const sequence = ++previewed;
  const draft = body();
  const request = { ...draft, title: draft.title.trim() || "Preview", channelMode: "allUnreads", channelIds: [] };
  const state = document.getElementById("preview-state");
  const runs = document.getElementById("preview-runs");
  try {
    const { nextRuns } = await callApi(`v1/schedules/preview?count=${previewCount}`, { method: "POST", body: request });
    if (sequence !== previewed) {
      return;
    }
    state.textContent = `The next ${nextRuns.length} runs, in ${draft.timeZone}:`;
    runs.replaceChildren(...nextRuns.map(nextRunItem));
  } catch (error) {
    if (sequence !== previewed) {
      return;
    }
    const reasons = error instanceof ApiProblem ? timing.flatMap(field => error.errors[field] ?? []) : [];
    state.textContent = `No preview: ${reasons.length > 0 ? reasons.join(" ") : error.message}`;
    runs.replaceChildren();
  }
}

let previewTimer;
function previewSoon() {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(preview, 300);
}

async function loadChannels() {
  const options = document.getElementById("channel-options");
  try {
    const { items } = await callApi("v1/channels");
    options.replaceChildren(...items.map(channel => {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = "checkbox";
      input.name = "channel";
      input.value = channel.id;
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

function zones() {
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  document.getElementById("zones").replaceChildren(...Intl.supportedValuesOf("timeZone").map(zone => {
    const option = document.createElement("option");
    option.value = zone;
    return option;
  }));
  form.elements.timeZone.value = browserZone;
}

async function create(event) {
  event.preventDefault();
  const submit = form.querySelector("button[type=submit]");
  submit.disabled = true;
  try {
    const sent = JSON.stringify(body());
    if (sent !== submitted.body) {
      submitted = { body: sent, key: crypto.randomUUID() };
    }
    await callApi("v1/schedules", { method: "POST", body: JSON.parse(sent), headers: { "Idempotency-Key": submitted.key } });
    location.assign("./");
  } catch (error) {
    const errors = error instanceof ApiProblem ? error.errors : {};
    showErrors(errors, Object.keys(errors).length > 0 ? "Not created: see the fields marked below." : `Not created: ${error.message}`);
  } finally {
    submit.disabled = false;
  }
}

if (requireSession()) {
  zones();
  form.addEventListener("input", previewSoon);
  form.addEventListener("submit", create);
  preview();
  await loadChannels();
}
