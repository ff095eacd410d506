// Unsent chat text is kept per order and forgotten once blank.
import { afterEach, describe, expect, it } from "vitest";
import { chatDraft, clearChatDrafts, keepChatDraft } from "./chatDrafts";

afterEach(clearChatDrafts);

describe("chat drafts", () => {
  it("keeps one draft per order of each account", () => {
    keepChatDraft("a", "D-1", "Hello");
    keepChatDraft("b", "D-1", "Other shop");
    expect(chatDraft("a", "D-1")).toBe("Hello");
    expect(chatDraft("b", "D-1"), "ids are unique per account only").toBe("Other shop");
    expect(chatDraft("a", "D-2")).toBe("");
    keepChatDraft("a", "D-1", "  ");
    expect(chatDraft("a", "D-1"), "a blank draft is forgotten").toBe("");
  });
});
