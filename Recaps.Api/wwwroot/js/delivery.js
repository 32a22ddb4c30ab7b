// The user's own delivery targets (delivery.html), replaced as a whole by one PUT.
import { callApi, ApiProblem } from "./api.js";
import { kinds, targetList } from "./delivery-targets.js";
import { showFieldErrors } from "./field-errors.js";
import { requireSession } from "./session.js";

const editor = targetList(document.getElementById("targets"), "targets");

async function save(event) {
  event.preventDefault();
  const submit = event.target.querySelector("button[type=submit]");
  const state = document.getElementById("save-state");
  submit.disabled = true;
  state.textContent = "";
  try {
    const saved = await callApi("v1/me/delivery", { method: "PUT", body: { targets: editor.targets() } });
    editor.show(saved.targets);
    showFieldErrors(editor.fieldIds(), {}, document.getElementById("form-error"), "");
    state.textContent = `Saved: ${saved.targets.map(target => kinds[target.type]).join(", ")}.`;
  } catch (error) {
    const errors = error instanceof ApiProblem ? error.errors : {};
    showFieldErrors(editor.fieldIds(), errors, document.getElementById("form-error"),
      Object.keys(errors).length > 0 ? "Not saved: see the fields marked below." : `Not saved: ${error.message}`);
  } finally {
    submit.disabled = false;
  }
}

if (requireSession()) {
  const form = document.getElementById("delivery-form");
  const state = document.getElementById("page-state");
  form.addEventListener("submit", save);
  try {
    editor.show((await callApi("v1/me/delivery")).targets);
    form.hidden = false;
    state.textContent = "";
  } catch (error) {
    state.textContent = `Could not load your delivery targets: ${error.message}`;
  }
}
