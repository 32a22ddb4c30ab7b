// A problem's `errors` shown where they belong: each next to the field it names (the element with
// that id, described by "<id>-error"), the rest in the form's summary; the first field named takes the focus.

/** The field of `fields` an error key belongs to: itself, or the most specific field it is an item of ("skipDates[1]" → "skipDates"). */
export function fieldOf(fields, key) {
  return fields
    .filter(field => key === field || key.startsWith(`${field}[`) || key.startsWith(`${field}.`))
    .reduce((found, field) => (found === undefined || field.length > found.length ? field : found), undefined);
}

/** Shows `errors` on `fields` (ids), anything else and `message` in `summary`; returns whether a field was named. */
export function showFieldErrors(fields, errors, summary, message) {
  const placed = Object.groupBy(Object.entries(errors), ([key]) => fieldOf(fields, key) ?? "");
  for (const field of fields) {
    const messages = (placed[field] ?? []).flatMap(([, texts]) => texts);
    document.getElementById(`${field}-error`).textContent = messages.join(" ");
    document.getElementById(field).setAttribute("aria-invalid", messages.length > 0 ? "true" : "false");
  }
  const unplaced = (placed[""] ?? []).flatMap(([, texts]) => texts);
  summary.textContent = [message, ...unplaced].filter(Boolean).join(" ");
  const first = fields.find(field => placed[field]);
  if (first) {
    const element = document.getElementById(first);
    (element.matches("fieldset") ? element.querySelector("input, select, textarea, button") ?? element : element).focus();
  }
  return first !== undefined;
}

/** Clears the error of the innermost field `changed` is in (a target's URL, not the whole list), once the person changes it. */
export function clearFieldError(fields, changed) {
  const field = fields.map(id => document.getElementById(id)).filter(element => element?.contains(changed))
    .reduce((inner, element) => (inner === undefined || inner.contains(element) ? element : inner), undefined);
  if (field?.getAttribute("aria-invalid") === "true") {
    document.getElementById(`${field.id}-error`).textContent = "";
    field.setAttribute("aria-invalid", "false");
  }
}
