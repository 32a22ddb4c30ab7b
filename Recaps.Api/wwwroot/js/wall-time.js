// Wall times as the API states them in the schedule's zone ("2027-03-14T03:30:00-04:00"):
// shown as written, never converted to the browser's zone.
const dateFormat = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

export function wallTime(local) {
  const [, year, month, day, time, offset] = local.match(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/);
  const date = dateFormat.format(new Date(Date.UTC(Number(year), Number(month) - 1, Number(day))));
  return `${date}, ${time} (UTC${offset === "Z" ? "" : offset})`;
}

/** One upcoming run as a list item: its wall time, and what DST or a skip date does to it. */
export function nextRunItem(run) {
  const item = document.createElement("li");
  const time = document.createElement("time");
  time.dateTime = run.at;
  time.textContent = wallTime(run.local);
  item.append(time);
  for (const remark of [run.note, run.skipped ? `Skipped: ${run.skipReason}` : null]) {
    if (remark) {
      const note = document.createElement("span");
      note.className = "note";
      note.textContent = remark;
      item.append(" ", note);
    }
  }
  return item;
}
