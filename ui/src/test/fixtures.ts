// Shared fixtures of the window's tests: an order in progress and its detail.
import type { OrderDetail } from "../lib/bindings";
import { countdown, order } from "./fakeCore";

export const ROW = order("D-1001", { accountId: "acct-7", title: "Minimalist logo for a coffee roastery" });

export const DETAIL: OrderDetail = {
  row: ROW,
  buyerUsername: "zoe_m",
  lines: [
    { kind: "base", title: "Minimalist logo for a coffee roastery", amountLabel: "$120.00" },
    { kind: "extra", title: "Source files", amountLabel: "$25.00" },
  ],
  grossLabel: "$145.00",
  feePercent: "20 %",
  feeLabel: "-$29.00",
  netLabel: "$116.00",
  forecast: {
    bucket: "pending",
    netLabel: "$116.00",
    expectedCompletion: Date.UTC(2026, 10, 27, 12),
    availableAt: Date.UTC(2026, 11, 11, 12),
    clearanceDays: 14,
  },
  revisionsIncluded: 3,
  revisionsLeft: 3,
  autoComplete: null,
  requests: [
    {
      id: "D-1001-R1",
      kind: "change_order_time",
      kindLabel: "Change order time",
      openedBy: "buyer",
      state: "pending",
      message: "Two days earlier?",
      expiresAt: Date.UTC(2026, 10, 23, 8),
      timeLeft: countdown("due_soon", "7h 59m left", 28_740),
      onExpiry: "If unanswered, the request is canceled and the order stays as it is.",
      canRespond: true,
    },
  ],
  actions: [
    { id: "deliver", label: "Deliver now", allowed: true, reason: null },
    {
      id: "open_request:cancel",
      label: "Ask to cancel",
      allowed: false,
      reason: "an order request is already pending",
    },
  ],
  outbox: [],
  messages: [
    { id: "D-1001-M1", from: "buyer", text: "Could it work on black cups too?", sentAt: Date.UTC(2026, 10, 20, 9, 0), pending: false },
  ],
  delivery: null,
  uploads: [],
  review: null,
};

