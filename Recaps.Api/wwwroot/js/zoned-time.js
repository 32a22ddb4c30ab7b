// Instants the API states in UTC, shown in a schedule's zone (the browser's own zone may differ):
// a recap's window reads as the schedule's owner chose it.
const formats = new Map();

function format(zone) {
  if (!formats.has(zone)) {
    formats.set(zone, new Intl.DateTimeFormat(undefined, {
      weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone,
    }));
  }
  return formats.get(zone);
}

/** A <time> element for `instant` as the wall time in `zone`. */
export function zonedTime(instant, zone) {
  const time = document.createElement("time");
  time.dateTime = instant;
  time.textContent = format(zone).format(new Date(instant));
  return time;
}

/** "start – end (zone)": a recap's window, (start, end], in `zone`. */
export function windowText(recap, zone) {
  const span = document.createElement("span");
  span.append(zonedTime(recap.windowStart, zone), " – ", zonedTime(recap.windowEnd, zone), ` (${zone})`);
  return span;
}

/** The zone of each of the caller's schedules, by id; a deleted schedule's recaps read in UTC. */
export function zoneOf(zones, scheduleId) {
  return zones.get(scheduleId) ?? "UTC";
}
