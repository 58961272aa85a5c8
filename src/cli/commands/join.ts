import { createInterface } from "node:readline";
import { type Command, Option } from "commander";
import { isInteractive } from "../../tui/terminal.js";
import { EXIT_FINDING, EXIT_OK, EXIT_USAGE, ExitWith, UsageError } from "../exit.js";

const ROLES = ["facilitator", "observer", "scribe"] as const;

interface JoinFlags {
  role: (typeof ROLES)[number];
  token?: string;
}

export function registerJoin(program: Command): void {
  program
    .command("join")
    .description(
      "Join a drill served with `firedrill run … --share` as facilitator, observer or scribe",
    )
    .argument("<url>", "the URL of the join line, e.g. http://127.0.0.1:41234")
    .addOption(
      new Option("--role <role>", "who you are in the drill").choices(ROLES).makeOptionMandatory(),
    )
    .option("--token <token>", "the role's token from the join line (or $FIREDRILL_TOKEN)")
    .addHelpText(
      "after",
      `
In a terminal, join opens the role's screen: the facilitator's (faults with their timing and state,
the expected procedure and where the responder is in it, probes, hints to come; keys R reveal, F
inject, h hint, p pause/resume, e end, a abort, n note), the observer's (the live timeline,
timings, probes) or the scribe's (the timeline; o observation, d decision, a action item, n note).
q leaves; the drill goes on.

Without a terminal (piped), join prints the drill's timeline, one line per event with who did it,
and takes one command per line on stdin: the facilitator's reveal, inject, hint [n], pause
[reason], resume, end <reason>, abort <reason>, note <text>; the scribe's observation: <text>,
decision: <text>, action: <text>. An observer only watches. See docs/roles.md.

Exit codes: 0 the drill ended (its outcome is printed), 1 the drill could not be followed (the
connection was lost for good), 2 bad usage or a token the drill refused.

Examples:
  $ firedrill join http://127.0.0.1:41234 --role facilitator --token 3q…
  $ firedrill join http://127.0.0.1:41234 --role observer --token Xk… | tee timeline.txt
  $ echo "action: page the DBA sooner" | firedrill join http://127.0.0.1:41234 --role scribe --token …`,
    )
    .action(async (url: string, flags: JoinFlags) => {
      const code = await joinCommand(url, flags);
      if (code !== EXIT_OK) throw new ExitWith(code);
    });
}

async function joinCommand(url: string, flags: JoinFlags): Promise<number> {
  const token = flags.token ?? process.env.FIREDRILL_TOKEN;
  if (!token)
    throw new UsageError("join needs the role's --token (or $FIREDRILL_TOKEN) from the join line");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(
      `"${url}" is not a URL; use the one of the join line, e.g. http://127.0.0.1:41234`,
    );
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new UsageError(`"${url}" is not an http URL; use the one of the join line`);
  }
  if (isInteractive()) {
    const { openJoinTui } = await import("../../tui/join-launch.js");
    const end = await openJoinTui(parsed.toString(), flags.role, token);
    if (end.kind === "ended") {
      for (const line of end.end.lines) process.stdout.write(`drill over: ${line}\n`);
      return EXIT_OK;
    }
    if (end.error === "left") return EXIT_OK;
    process.stderr.write(`firedrill: ${end.error}\n`);
    return end.error.startsWith("the drill refused the token") ? EXIT_USAGE : EXIT_FINDING;
  }
  const { followPlain } = await import("../join-plain.js");
  const end = await followPlain(parsed.toString(), flags.role, token, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    input:
      flags.role === "observer" || process.stdin.isTTY
        ? null
        : createInterface({ input: process.stdin }),
  });
  if (end.kind === "ended") return EXIT_OK;
  return end.error.startsWith("the drill refused the token") ? EXIT_USAGE : EXIT_FINDING;
}
