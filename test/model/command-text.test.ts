import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { commandText } from "../../src/model/common.js";

describe("commandText", () => {
  it("shows a string command as written and plain arguments bare", () => {
    expect(commandText("curl -fsS http://127.0.0.1:9/health | jq .")).toBe(
      "curl -fsS http://127.0.0.1:9/health | jq .",
    );
    expect(commandText(["curl", "-fsS", "http://127.0.0.1:9/x?y=1"])).toBe(
      "curl -fsS 'http://127.0.0.1:9/x?y=1'",
    );
  });

  it("gives a line that a shell turns back into the same arguments", () => {
    const argv = ["printf", "%s|", "two words", "it's", 'say "hi"', "$HOME", "a\\b", ""];
    const line = commandText(argv);
    const echoed = execFileSync("sh", ["-c", line], { encoding: "utf8" });
    expect(echoed).toBe('two words|it\'s|say "hi"|$HOME|a\\b||');
  });
});
