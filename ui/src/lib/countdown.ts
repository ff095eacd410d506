// The delivery countdown, the same rule as the core's (`crates/core/src/countdown.rs`):
// both are tested against `bindings/countdown-cases.json`, which the core writes. The
// window recomputes a row's countdown on its own minute tick from the seconds the core
// gave with the row, so the list is never re-fetched on a timer.
import type { Countdown, CountdownState } from "./bindings";

/** Within this many seconds of the due instant a delivery is "due soon"… */
const DUE_SOON_S = 24 * 3600;
/** …and this many seconds past it, "very late". */
const VERY_LATE_S = 24 * 3600;

/** "2d 4h", "5h 10m", "12m", "<1m": two units at most, truncated (never rounds up). */
function span(seconds: number): string {
  const minutes = Math.trunc(seconds / 60);
  const days = Math.trunc(minutes / 1440);
  const hours = Math.trunc(minutes / 60) % 24;
  const mins = minutes % 60;
  if (days === 0 && hours === 0) return mins === 0 ? "<1m" : `${mins}m`;
  if (days === 0) return mins === 0 ? `${hours}h` : `${hours}h ${mins}m`;
  return hours === 0 ? `${days}d` : `${days}d ${hours}h`;
}

/** The countdown with `seconds` left (negative: late by that much). */
export function countdownFor(seconds: number): Countdown {
  let state: CountdownState;
  if (seconds > DUE_SOON_S) state = "on_time";
  else if (seconds > 0) state = "due_soon";
  else if (-seconds < VERY_LATE_S) state = "late";
  else state = "very_late";
  const label = seconds > 0 ? `${span(seconds)} left` : `late by ${span(-seconds)}`;
  return { state, seconds, label };
}

/** The core's countdown `elapsedMs` after it was computed. */
export function countdownAfter(given: Countdown, elapsedMs: number): Countdown {
  const elapsed = Math.trunc(elapsedMs / 1000);
  return elapsed <= 0 ? given : countdownFor(given.seconds - elapsed);
}
