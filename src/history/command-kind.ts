/**
 * Whether a command a responder typed only looks (a runbook `check`) or may change something (an
 * `action`). A suggested runbook step must not file `curl … | python3 -m json.tool` as an action:
 * the adherence score orders actions, and a reader would think the GET fixed something. Unknown
 * programs count as actions: wrongly calling a change a check is the worse mistake.
 */
export type CommandKind = "check" | "action";

/** Programs that only read, whatever their arguments (short of a redirection, checked apart). */
const READERS = new Set([
  "cat",
  "less",
  "more",
  "head",
  "tail",
  "grep",
  "egrep",
  "fgrep",
  "rg",
  "jq",
  "yq",
  "wc",
  "sort",
  "uniq",
  "cut",
  "tr",
  "column",
  "echo",
  "printf",
  "date",
  "ls",
  "stat",
  "ps",
  "pgrep",
  "top",
  "htop",
  "uptime",
  "free",
  "df",
  "du",
  "vmstat",
  "iostat",
  "dmesg",
  "journalctl",
  "dig",
  "nslookup",
  "host",
  "ping",
  "traceroute",
  "mtr",
  "ss",
  "netstat",
  "lsof",
  "pg_isready",
  "watch",
  "true",
]);

/** Programs whose first argument says whether they read: `kubectl get` does, `kubectl delete` not. */
const READING_SUBCOMMANDS: Record<string, ReadonlySet<string>> = {
  kubectl: new Set(["get", "describe", "logs", "top", "explain", "version", "events", "auth"]),
  docker: new Set(["ps", "logs", "inspect", "stats", "top", "images", "version", "info"]),
  systemctl: new Set(["status", "is-active", "is-enabled", "is-failed", "show", "list-units"]),
  git: new Set(["status", "log", "diff", "show"]),
  toxiproxy: new Set(["list", "inspect"]),
  "toxiproxy-cli": new Set(["list", "inspect"]),
};

/** `kubectl rollout status`/`history` only watch; other rollouts (restart, undo) change. */
const READING_ROLLOUT = new Set(["status", "history"]);

/** curl options that send a body or upload: the request changes something. */
const CURL_SENDS = /^(-d|--data.*|-F|--form.*|-T|--upload-file|--json|-d.+|-F.+|-T.+)$/;

type Token = { word: string } | { op: string };

/** Shell words and operators, quotes honoured; null for what cannot be judged (substitutions). */
function tokens(command: string): Token[] | null {
  const out: Token[] = [];
  let word = "";
  let inWord = false;
  let quote: string | null = null;
  const flush = () => {
    if (inWord) out.push({ word });
    word = "";
    inWord = false;
  };
  for (let i = 0; i < command.length; i++) {
    const ch = command[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === "\\" && quote === '"' && i + 1 < command.length) word += command[++i];
      else if (quote === '"' && (ch === "$" || ch === "`")) return null;
      else word += ch;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === "\\" && i + 1 < command.length) {
      word += command[++i];
      inWord = true;
    } else if (ch === "$" || ch === "`") {
      if (command[i + 1] === "(" || ch === "`") return null;
      word += ch;
      inWord = true;
    } else if (/\s/.test(ch)) flush();
    else if ("|&;<>()".includes(ch)) {
      flush();
      let op = ch;
      while (i + 1 < command.length && "|&>".includes(command[i + 1]!) && op.length < 2)
        op += command[++i];
      out.push({ op });
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) return null;
  flush();
  return out;
}

/** Whether one simple command (its words, no operators) only reads. */
function reads(words: readonly string[]): boolean {
  let i = 0;
  // `FOO=1 cmd` and `sudo cmd`, `time cmd`: judge cmd.
  while (i < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!) || words[i] === "sudo"))
    i++;
  if (words[i] === "time" || words[i] === "timeout") i += words[i] === "timeout" ? 2 : 1;
  const program = words[i]?.split("/").pop();
  if (program === undefined) return true;
  const args = words.slice(i + 1);
  if (READERS.has(program)) return true;
  if (program === "sed") return !args.some((a) => /^-[a-zA-Z]*i/.test(a) || a === "--in-place");
  if (program === "python" || program === "python3")
    return args[0] === "-m" && args[1] === "json.tool";
  if (program === "curl") {
    for (let a = 0; a < args.length; a++) {
      const arg = args[a]!;
      if (CURL_SENDS.test(arg)) return false;
      const method = /^(?:-X|--request)(?:=)?(.*)$/.exec(arg);
      if (method) {
        const name = (method[1] || args[a + 1] || "").toUpperCase();
        if (name !== "GET" && name !== "HEAD") return false;
      }
    }
    return true;
  }
  if (program === "wget") return !args.some((a) => /^--(post|method|body)/.test(a));
  const sub = READING_SUBCOMMANDS[program];
  if (sub) {
    const first = args.find((a) => !a.startsWith("-"));
    if (program === "kubectl" && first === "rollout") {
      const second = args.slice(args.indexOf(first) + 1).find((a) => !a.startsWith("-"));
      return second !== undefined && READING_ROLLOUT.has(second);
    }
    return first !== undefined && sub.has(first);
  }
  return false;
}

/** `check` when every command of the pipeline or list only reads and nothing is redirected to a file. */
export function commandKind(command: string, argv: readonly string[] | null): CommandKind {
  if (argv) return reads(argv) ? "check" : "action";
  const list = tokens(command);
  if (list === null) return "action";
  let words: string[] = [];
  for (const token of list) {
    if ("word" in token) {
      words.push(token.word);
      continue;
    }
    // `> file` writes; `2>&1` and `>/dev/null` do not.
    if (token.op === ">&") continue; // 2>&1: a descriptor, not a file
    if (token.op.startsWith(">") || token.op === "&>") {
      const target = list[list.indexOf(token) + 1];
      const to = target && "word" in target ? target.word : "";
      if (to !== "/dev/null" && !/^&\d$/.test(to)) return "action";
      continue;
    }
    if (token.op === "<" || token.op === "(" || token.op === ")") continue;
    if (!reads(words)) return "action";
    words = [];
  }
  return reads(words) ? "check" : "action";
}
