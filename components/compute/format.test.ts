import { describe, expect, it } from "vitest";
import { checkUserData, flavorShape, formatBytes, formatRam, osLabel, ramGb } from "./format";

describe("sizes", () => {
  it.each([
    [512, "512 MB"],
    [1024, "1 GB"],
    [1536, "1.5 GB"],
    [65536, "64 GB"],
  ])("formatRam(%i) = %s", (mb, text) => expect(formatRam(mb)).toBe(text));

  it.each([
    [null, "—"],
    [0, "0 B"],
    [1536, "1.5 KB"],
    [2_361_393_152, "2.2 GB"],
    [500 * 1024 * 1024, "500 MB"],
  ])("formatBytes(%s) = %s", (b, text) => expect(formatBytes(b)).toBe(text));

  it("describes flavors and images", () => {
    expect(flavorShape({ vcpus: 2, ramMb: 4096 })).toBe("2 vCPU · 4 GB");
    expect(osLabel({ osDistro: "ubuntu", osVersion: "24.04" })).toBe("Ubuntu 24.04");
    expect(osLabel({ osDistro: null, osVersion: "1" })).toBeNull();
    expect(ramGb(1536)).toBe(2);
  });
});

describe("checkUserData", () => {
  it.each([
    ["", null],
    ["#!/bin/bash\necho hi", null],
    ["#cloud-config", null],
    ["#cloud-config\npackages:\n  - nginx\nruncmd:\n  - [systemctl, enable, nginx]\n", null],
    [
      "#cloud-config\nwrite_files:\n  - path: /etc/motd\n    content: |\n      Hello: world\n      - not a list\nfinal_message: done # comment\n",
      null,
    ],
    ["#cloud-config\nusers: [{name: ops, groups: [sudo]}]\n", null],
    ["#cloud-config\nbootcmd:\n  - echo 'it''s fine'\n", null],
    ["#cloud-config\nusers:\n  - {name: a,\n     shell: /bin/bash}\n", null],
    ["Content-Type: multipart/mixed; boundary=x\n", null],
  ])("accepts %j", (text, expected) => expect(checkUserData(text)).toBe(expected));

  it.each([
    ["packages:\n - nginx", "Start with #cloud-config"],
    ["#!", "Name the interpreter"],
    ["#cloud-config\npackages:\n\t- nginx", "Not valid YAML"],
    ["#cloud-config\n- nginx", "must be a YAML mapping"],
    ["#cloud-config\njust some words", "must be a YAML mapping"],
    ["#cloud-config\na: 1\na: 2", "Not valid YAML"],
    ["#cloud-config\nruncmd: [ls, -l", "Not valid YAML"],
    ['#cloud-config\nfinal_message: "unterminated', "Not valid YAML"],
  ])("refuses %j", (text, message) => expect(checkUserData(text)).toContain(message));

  it("refuses more than Nova's 64 KiB", () =>
    expect(checkUserData(`#cloud-config\n${"a: b\n".repeat(13000)}`)).toContain("64 KiB"));
});
