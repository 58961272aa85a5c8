import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { firedrill } from "../support/cli.js";
import { until } from "../support/until.js";
import { hasTmux, Tmux } from "./tmux.js";

// Three real terminals: the responder's TUI serving the drill, the facilitator's and the
// observer's joined screens; the scribe is a piped `firedrill join`.
const CLI = resolve("dist/firedrill.js");
const tmux = hasTmux();
if (!tmux) console.warn("test/tui/roles-tmux: tmux is not installed; the terminal test is skipped");

let dir: string;
const terms: Tmux[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "firedrill-roles-tmux-"));
  cpSync("runbooks", join(dir, "runbooks"), { recursive: true });
  cpSync("scenarios", join(dir, "scenarios"), { recursive: true });
  // The fault is due in 10 minutes: only the facilitator's inject brings it now.
  const file = join(dir, "scenarios/checkout-db-latency.yaml");
  writeFileSync(file, readFileSync(file, "utf8").replace("at: 5s", "at: 10m"));
});
afterEach(() => {
  for (const t of terms.splice(0)) t.kill();
  rmSync(dir, { recursive: true, force: true });
});

function open(name: string, argv: string[], cols = 120, rows = 32): Tmux {
  const t = new Tmux(`roles-${name}`, cols, rows);
  terms.push(t);
  t.start([process.execPath, CLI, ...argv], { USER: "ana" }, dir);
  return t;
}

describe.skipIf(!tmux)("a game day with roles in three terminals", () => {
  it("the facilitator injects a fault and reveals a signal, the responder sees them, the observer's timeline names who did what, the scribe's action item reaches the report", async () => {
    const responder = open("responder", [
      "run",
      "checkout-db-latency",
      "--mode",
      "tabletop",
      "--share",
    ]);
    const shared = await responder.waitForText("Press Enter to open the drill", 15_000);
    const line = (role: string) =>
      shared.match(new RegExp(`firedrill join (\\S+) --role ${role} --token (\\S+)`)) ?? [];
    const [, url = "", facilitatorToken = ""] = line("facilitator");
    const [, , observerToken = ""] = line("observer");
    const [, , scribeToken = ""] = line("scribe");
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    if (process.env.FIREDRILL_CAPTURE) console.log(shared);

    responder.keys("Enter");
    await responder.waitForText("Enter start drill", 15_000);
    responder.keys("Enter");
    await responder.waitForText("choose a procedure", 15_000);

    const facilitator = open("facilitator", [
      "join",
      url,
      "--role",
      "facilitator",
      "--token",
      facilitatorToken,
    ]);
    const observer = open("observer", [
      "join",
      url,
      "--role",
      "observer",
      "--token",
      observerToken,
    ]);
    await facilitator.waitForText("drill started", 15_000);
    await observer.waitForText("drill started", 15_000);
    await responder.waitForText("joined facilitator, observer", 10_000);

    facilitator.keys("F");
    await facilitator.waitForText("facilitator: fault applied", 10_000);
    facilitator.keys("R");
    // The responder sees the alert the facilitator revealed, and the incident it announces.
    const responderScreen = await responder.waitForText("CheckoutHealthFailing", 10_000);
    expect(responderScreen).toMatch(/ALERT/);

    const scribe = spawn(
      process.execPath,
      [CLI, "join", url, "--role", "scribe", "--token", scribeToken],
      {
        cwd: dir,
        stdio: ["pipe", "ignore", "pipe"],
      },
    );
    // Listened for from the start: the scribe may be gone before the screens say the drill ended.
    const scribeExited = new Promise<void>((done) => scribe.once("exit", () => done()));
    let scribeErr = "";
    scribe.stderr?.on("data", (d: Buffer) => {
      scribeErr += d.toString();
    });
    scribe.stdin?.write("action: the alert should name the pool\n");
    const timeline = await observer.waitForText("scribe: action item", 10_000);
    expect(timeline).toMatch(/facilitator: fault applied: primary disk saturated/);
    expect(timeline).toMatch(/facilitator: alert: CheckoutHealthFailing/);
    await until(() => scribeErr.includes("done"), "the scribe's note taken");
    const facilitatorScreen = await facilitator.waitForText("scribe: action item", 10_000);
    expect(facilitatorScreen).toMatch(/expected procedure/);
    if (process.env.FIREDRILL_CAPTURE) {
      console.log(responder.screen());
      console.log(facilitatorScreen);
      console.log(timeline);
    }

    // The facilitator calls it: every joined screen gets the outcome, the responder the debrief.
    facilitator.keys("e");
    facilitator.type("out of time");
    facilitator.keys("Enter");
    await responder.waitForText("Debrief", 15_000);
    expect(await observer.waitForText("[exit 0]", 15_000)).toMatch(/drill over: not-recovered/);
    await facilitator.waitForText("[exit 0]", 15_000);
    await scribeExited;
    responder.keys("q");
    await responder.waitForText("[exit", 15_000);

    const report = await firedrill(["report", "--latest", "--format", "md"], { cwd: dir });
    expect(report.stdout).toMatch(
      /- \[ \] the alert should name the pool \(scribe, at \+[\d.]+m?s\)/,
    );
    expect(report.stdout).toMatch(/\| facilitator \| ENDED by facilitator: out of time/);
  }, 120_000);
});
