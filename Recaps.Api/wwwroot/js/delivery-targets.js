// A list editor of delivery targets ({ type, url, secret, address }), for the user's own targets
// (delivery.html, "targets") and a schedule's (new.html, "deliverTo"): each target's inputs have the
// ids a problem's `errors` keys name (targets[1].url), so the API's errors land next to them.
import { element } from "./element.js";

export const kinds = { inApp: "In the app", webhook: "Webhook", email: "Email" };
const adding = { inApp: "Add in-app", webhook: "Add webhook", email: "Add email" };

/** A labelled input with its hint and error, under the id `errors` names it by. */
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

/** One target as the editor holds it; `shown` is the target as the API shows it (none for a new one). */
function targetRow(type, shown) {
  return { type, shown, address: type === "email" ? input("email", shown?.address ?? "") : null, url: type === "webhook" ? input("url") : null, secret: type === "webhook" ? input("password") : null };
}

/**
 * The editor, built at the end of `host` (which takes the focus when a target is removed): the targets
 * and a button to add each kind. `name` is the body's field the API names the targets by.
 */
export function targetList(host, name) {
  let rows = [];
  const list = element("div");
  const adders = element("p", undefined, "adders");
  const add = Object.fromEntries(Object.entries(adding).map(([type, label]) => {
    const button = element("button", label);
    button.type = "button";
    button.addEventListener("click", () => {
      rows.push(targetRow(type, null));
      render();
      const added = list.lastElementChild;
      (added.querySelector("input") ?? added.querySelector("button")).focus();
    });
    return [type, button];
  }));
  adders.append(...Object.values(add));
  host.tabIndex = -1;
  host.append(list, adders);

  function render() {
    list.replaceChildren(...rows.map((row, index) => {
      const prefix = `${name}[${index}]`;
      const group = element("fieldset", undefined, "target");
      group.id = prefix;
      group.append(element("legend", `Target ${index + 1}: ${kinds[row.type]}`));
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
        host.focus();
      });
      group.append(error, remove);
      return group;
    }));
    add.inApp.hidden = rows.some(row => row.type === "inApp");
  }

  return {
    /** Shows `targets` as the API answers them: webhooks with their host only and no secret. */
    show(targets) {
      rows = targets.map(target => targetRow(target.type, target));
      render();
    },
    /** The targets as the API takes them, webhooks' URL and secret as entered. */
    targets() {
      return rows.map(row => row.type === "webhook"
        ? { type: "webhook", url: row.url.value.trim(), secret: row.secret.value }
        : row.type === "email" ? { type: "email", address: row.address.value.trim() } : { type: "inApp" });
    },
    /** Every id an error can name: the list, each target, and each target's fields. */
    fieldIds() {
      return [name, ...rows.flatMap((row, index) => {
        const prefix = `${name}[${index}]`;
        return [prefix, ...["url", "secret", "address"].filter(part => row[part]).map(part => `${prefix}.${part}`)];
      })];
    },
  };
}
