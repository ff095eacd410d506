// One countdown rule on both sides: the cases the core computed (and wrote next to the
// bindings) must come out the same from the window's own countdown.
import { describe, expect, it } from "vitest";
import cases from "./bindings/countdown-cases.json";
import { countdownAfter, countdownFor } from "./countdown";

describe("countdown", () => {
  it.each(cases)("$secondsLeft s left reads as the core says: $label", (c) => {
    const mine = countdownFor(c.secondsLeft);
    expect(mine, "the window's rule must match the core's").toEqual({ state: c.state, seconds: c.seconds, label: c.label });
  });

  it("keeps the core's own countdown until a second has passed, then counts down", () => {
    const given = { state: "on_time" as const, seconds: 90_061, label: "1d 1h left" };
    expect(countdownAfter(given, 0)).toBe(given);
    expect(countdownAfter(given, 60_000).label).toBe("1d 1h left");
    expect(countdownAfter(given, 3_600_000)).toEqual({ state: "on_time", seconds: 86_461, label: "1d left" });
    expect(countdownAfter(given, 3_700_000)).toEqual({ state: "due_soon", seconds: 86_361, label: "23h 59m left" });
    expect(countdownAfter(given, 90_061_000).state, "due now is late").toBe("late");
  });
});
