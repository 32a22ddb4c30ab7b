// The user's schedules (index.html): all of them, newest first, read page after page.
import { callApi } from "./api.js";
import { requireSession } from "./session.js";
import { nextRunItem } from "./wall-time.js";
import { status, sync } from "./schedule-status.js";
import { element, link } from "./element.js";

function cell(...content) {
  const td = document.createElement("td");
  td.append(...content);
  return td;
}

function nextRun(schedule) {
  const run = schedule.nextRuns.find(r => !r.skipped) ?? schedule.nextRuns[0];
  if (!run) {
    return [element("p", "None", "muted")];
  }
  const list = document.createElement("ul");
  list.className = "runs";
  list.append(nextRunItem(run));
  return [list, element("p", schedule.timeZone, "zone")];
}

// The API's largest page: under the default Recaps:Limits:MaxSchedulesPerUser (10) one request reads them all.
const pageSize = 200;

function scheduleRow(schedule) {
  const row = document.createElement("tr");
  const title = document.createElement("th");
  title.scope = "row";
  title.append(link(`schedule.html?id=${encodeURIComponent(schedule.id)}`, schedule.title));
  row.append(title, cell(...status(schedule)), cell(...nextRun(schedule)), cell(...sync(schedule)));
  return row;
}

/** Follows `nextCursor` to the last page, showing each page's rows as it comes; the count shown. */
async function showAll(rows, table) {
  let cursor = null;
  do {
    const page = await callApi(`v1/schedules?limit=${pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    rows.append(...page.items.map(scheduleRow));
    table.hidden = rows.childElementCount === 0;
    cursor = page.nextCursor;
  } while (cursor);
  return rows.childElementCount;
}

if (requireSession()) {
  const state = document.getElementById("list-state");
  const rows = document.getElementById("schedule-rows");
  try {
    const count = await showAll(rows, document.getElementById("schedules"));
    state.textContent = count === 0 ? "You have no schedules yet." : "";
  } catch (error) {
    state.textContent = rows.childElementCount === 0
      ? `Could not load your schedules: ${error.message}`
      : `Could not load all your schedules: ${error.message} Reload the page to try again.`;
  }
}
