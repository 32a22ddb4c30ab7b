import { callApi, ApiProblem } from "./api.js";
import { element } from "./element.js";
import { showFieldErrors } from "./field-errors.js";
import { requireSession } from "./session.js";

const kinds = { inApp: "In the app", webhook: "Webhook", email: "Email" };
const list = document.getElementById("target-list");
let rows = [];

/** A labelled input with its hint and error, under an id a problem's `errors` key names (targets[i].url). */
function field(id, label, input, hint) {
  const wrapper = element("div", undefined, "field");
  const labelled = element("label", label);
  labelled.htmlFor = id;
  input.id = id;
  input.autocomplete = input.type === "password" ? "new-password" : "off";
  const describedBy = [];
  wrapper.append(labelled, input);
  if (hint) {
    const hinted = element("p", hint, "hint");
    hinted.id = `${id}-hint`;
    describedBy.push(hinted.id);
    wrapper.append(hinted);
  }
  const error = element("p", undefined, "error");
  error.id = `${id}-error`;
  error.setAttribute("aria-live", "polite");
  describedBy.push(error.id);
  input.setAttribute("aria-describedby", describedBy.join(" "));
  wrapper.append(error);
  return wrapper;
}

function input(type, value = "") {
  const made = document.createElement("input");
  made.type = type;
  made.value = value;
  made.spellcheck = false;
  return made;
}

/** One target as the form edits it; `shown` is the target as the API shows it (none for a new one). */
function targetRow(type, shown) {
  return { type, shown, address: type === "email" ? input("email", shown?.address ?? "") : null, url: type === "webhook" ? input("url") : null, secret: type === "webhook" ? input("password") : null };
}

function render() {
  list.replaceChildren(...rows.map((row, index) => {
    const prefix = `targets[${index}]`;
    const group = element("fieldset", undefined, "target");
    group.id = prefix;
    const legend = element("legend", `Target ${index + 1}: ${kinds[row.type]}`);
    group.append(legend);
    if (row.type === "webhook") {
      const setHint = row.shown ? `Set now: ${row.shown.url} (the path is not shown). Enter the whole URL again to keep it.` : "Your chat platform's incoming-webhook URL.";
      group.append(
        field(`${prefix}.url`, "Webhook URL", row.url, setHint),
        field(`${prefix}.secret`, "Secret", row.secret,
          row.shown ? "A secret is set; it is never shown. Enter it again, or a new one (16–256 printable characters), to keep this webhook." : "Signs each delivery: 16–256 printable characters, no spaces."));
    } else if (row.type === "email") {
      group.append(field(`${prefix}.address`, "Email address", row.address));
    } else {
      group.append(element("p", "Recaps are always readable here under Recaps; this keeps them listed as delivered in the app.", "hint"));
    }
    const error = element("p", undefined, "error");
    error.id = `${prefix}-error`;
    group.setAttribute("aria-describedby", error.id);
    const remove = element("button", `Remove target ${index + 1}`);
    remove.type = "button";
    remove.addEventListener("click", () => {
      rows.splice(index, 1);
      render();
      document.getElementById("targets").focus();
    });
    group.append(error, remove);
    return group;
  }));
  document.getElementById("add-inApp").hidden = rows.some(row => row.type === "inApp");
}

function add(type) {
  rows.push(targetRow(type, null));
  render();
  const added = list.lastElementChild;
  (added.querySelector("input") ?? added.querySelector("button")).focus();
}

function body() {
  return {
    targets: rows.map(row => row.type === "webhook"
      ? { type: "webhook", url: row.url.value.trim(), secret: row.secret.value }
      : row.type === "email" ? { type: "email", address: row.address.value.trim() } : { type: "inApp" }),
  };
}

/** Every id an error can name: the list, each target, and each target's fields. */
function fieldIds() {
  return ["targets", ...rows.flatMap((row, index) => {
    const prefix = `targets[${index}]`;
    return [prefix, ...["url", "secret", "address"].filter(name => row[name]).map(name => `${prefix}.${name}`)];
  })];
}

function show(targets) {
  rows = targets.map(target => targetRow(target.type, target));
  render();
}

async function save(event) {
  event.preventDefault();
  const submit = event.target.querySelector("button[type=submit]");
  const state = document.getElementById("save-state");
  submit.disabled = true;
  state.textContent = "";
  try {
    const saved = await callApi("v1/me/delivery", { method: "PUT", body: body() });
    show(saved.targets);
    showFieldErrors(fieldIds(), {}, document.getElementById("form-error"), "");
    state.textContent = `Saved: ${saved.targets.map(target => kinds[target.type]).join(", ")}.`;
  } catch (error) {
    const errors = error instanceof ApiProblem ? error.errors : {};
    showFieldErrors(fieldIds(), errors, document.getElementById("form-error"),
      Object.keys(errors).length > 0 ? "Not saved: see the fields marked below." : `Not saved: ${error.message}`);
  } finally {
    submit.disabled = false;
  }
}

if (requireSession()) {
  const form = document.getElementById("delivery-form");
  const state = document.getElementById("page-state");
  for (const type of Object.keys(kinds)) {
    document.getElementById(`add-${type}`).addEventListener("click", () => add(type));
  }
  form.addEventListener("submit", save);
  try {
    show((await callApi("v1/me/delivery")).targets);
    form.hidden = false;
    state.textContent = "";
  } catch (error) {
    state.textContent = `Could not load your delivery targets: ${error.message}`;
  }
}
