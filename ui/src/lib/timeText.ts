// Dates and times as the window shows them, in the user's locale and time zone. The
// countdown labels come from the core; these only say *when*.

const sameDay = (a: Date, b: Date) =>
  a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

const timeOnly = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const dayAndTime = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
});
const full = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" });

/** "14:05" today, "Mon 23 Nov, 14:05" on any other day. */
export function shortWhen(ms: number, now: Date = new Date()): string {
  const at = new Date(ms);
  return sameDay(at, now) ? timeOnly.format(at) : dayAndTime.format(at);
}

/** "Tue 24 Nov, 14:30": due dates always carry the day. */
export function dueWhen(ms: number): string {
  return dayAndTime.format(new Date(ms));
}

/** "Tuesday, 24 November 2026 at 14:30", for tooltips. */
export function fullWhen(ms: number): string {
  return full.format(new Date(ms));
}

/** ISO 8601 for `<time datetime>`; empty when the instant is out of range. */
export function isoWhen(ms: number): string {
  const at = new Date(ms);
  return Number.isNaN(at.getTime()) ? "" : at.toISOString();
}
