// A problem's `errors` shown where they belong: each next to the field it names (the element with
// that id, described by "<id>-error"), the rest in the form's summary; the first field named takes the focus.

/** Shows `errors` on `fields` (ids), anything else and `message` in `summary`; returns whether a field was named. */
export function showFieldErrors(fields, errors, summary, message) {
  for (const field of fields) {
    const messages = errors[field] ?? [];
    document.getElementById(`${field}-error`).textContent = messages.join(" ");
    document.getElementById(field).setAttribute("aria-invalid", messages.length > 0 ? "true" : "false");
  }
  const unplaced = Object.entries(errors).filter(([field]) => !fields.includes(field)).flatMap(([, messages]) => messages);
  summary.textContent = [message, ...unplaced].filter(Boolean).join(" ");
  const first = fields.find(field => errors[field]);
  if (first) {
    const element = document.getElementById(first);
    (element.matches("fieldset") ? element.querySelector("input, select, textarea, button") ?? element : element).focus();
  }
  return first !== undefined;
}
