import { callApi } from "./api.js";
import { element, link } from "./element.js";
import { requireSession } from "./session.js";
import { windowText, zonedTime, zoneOf } from "./zoned-time.js";

// The API lists the newest recaps up to a limit (at most 200), without a cursor: "Show more" asks for more of the newest.
const pageSize = 50;
const maxLimit = 200;
let limit = pageSize;

function cell(...content) {
  const td = element("td");
  td.append(...content);
  return td;
}

function row(recap, zones) {
  const zone = zoneOf(zones, recap.scheduleId);
  const tr = element("tr");
  const title = element("th");
  title.scope = "row";
  title.append(link(`recap.html?id=${encodeURIComponent(recap.id)}`, recap.title));
  const version = [`Version ${recap.version} · ${recap.agent}`];
  if (recap.fallback) {
    version.push(element("span", `Fallback to extractive: ${recap.fallback.reason}`, "note"));
  }
  tr.append(title, cell(windowText(recap, zone)), cell(zonedTime(recap.createdAt, zone)), cell(...version));
  return tr;
}

async function load() {
  const state = document.getElementById("list-state");
  const more = document.getElementById("more");
  try {
    const [{ items }, schedules] = await Promise.all([callApi(`v1/recaps?limit=${limit}`), callApi("v1/schedules")]);
    const zones = new Map(schedules.items.map(schedule => [schedule.id, schedule.timeZone]));
    document.getElementById("recap-rows").replaceChildren(...items.map(recap => row(recap, zones)));
    document.getElementById("recaps").hidden = items.length === 0;
    const full = items.length === limit;
    more.hidden = !full || limit >= maxLimit;
    state.textContent = items.length === 0
      ? "You have no recaps yet: they appear here once a schedule has run."
      : full && limit >= maxLimit ? `Showing your newest ${maxLimit} recaps.` : "";
  } catch (error) {
    state.textContent = `Could not load your recaps: ${error.message}`;
  }
}

if (requireSession()) {
  document.getElementById("more").addEventListener("click", async () => {
    limit = Math.min(limit + pageSize, maxLimit);
    await load();
    if (document.getElementById("more").hidden) {
      // The button went away under the focus: keep the keyboard user in the page.
      document.getElementById("main").focus();
    }
  });
  await load();
}
