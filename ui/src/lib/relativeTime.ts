// Relative times the window computes itself from an instant and the current minute, so
// they stay live ("expires in 58 min" becomes "in 57 min") without asking the core.
import type { AlertKind } from "./bindings";

/** "45 min", "3 h 20 min", "2 d 4 h"; under a minute reads "1 min". */
export function spanText(ms: number): string {
  const minutes = Math.max(1, Math.round(Math.abs(ms) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

/** "in 5 min" / "5 min ago". */
export function relativeText(at: number, now: number): string {
  return at >= now ? `in ${spanText(at - now)}` : `${spanText(now - at)} ago`;
}

/** What an alert is about, by its kind. */
export const ALERT_KIND_TEXT: Record<AlertKind, string> = {
  request_received: "Buyer's request",
  request_expiring: "Request expiring",
  new_order: "New order",
  delivery_due: "Delivery due",
  delivery_late: "Delivery late",
  auto_completing: "Auto-completing",
};

/** The alert's moment in words, live: "expires in 58 min", "late by 3 h", "arrived 2 h ago". */
export function alertWhen(kind: AlertKind, at: number, now: number): string {
  const left = at - now;
  switch (kind) {
    case "request_expiring":
      return left > 0 ? `expires in ${spanText(left)}` : "expired";
    case "delivery_due":
      return left > 0 ? `due in ${spanText(left)}` : `late by ${spanText(left)}`;
    case "delivery_late":
      return `late by ${spanText(left)}`;
    case "auto_completing":
      return left > 0 ? `completes in ${spanText(left)}` : "completing now";
    case "new_order":
    case "request_received":
      return left > -60_000 ? "arrived just now" : `arrived ${spanText(left)} ago`;
  }
}
