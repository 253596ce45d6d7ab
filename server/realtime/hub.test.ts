import { describe, expect, it } from "vitest";
import { parseLiveEvent } from "./hub";

describe("live event payloads", () => {
  it.each([
    [
      '{"type":"audit","orgId":"o","projectId":null,"id":7}',
      { type: "audit", orgId: "o", projectId: null, id: 7 },
    ],
    [
      '{"type":"job","orgId":"o","projectId":"p","jobId":"j","state":"RUNNING"}',
      { type: "job", orgId: "o", projectId: "p", jobId: "j", state: "RUNNING" },
    ],
    ['{"type":"notification","userId":"u"}', { type: "notification", userId: "u" }],
  ])("reads %s", (payload, event) => {
    expect(parseLiveEvent(payload)).toEqual(event);
  });

  it.each([
    "not json",
    "null",
    '"audit"',
    '{"type":"audit","orgId":"o"}',
    '{"type":"job","jobId":"j"}',
    '{"type":"unknown","id":1}',
  ])("ignores %s", (payload) => {
    expect(parseLiveEvent(payload)).toBeNull();
  });
});
