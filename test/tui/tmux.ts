import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";

/** Whether tmux is installed; tests that need a real terminal skip (saying so) without it. */
export function hasTmux(): boolean {
  return spawnSync("tmux", ["-V"], { stdio: "ignore" }).status === 0;
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

/**
 * A real pseudo-terminal of a fixed size, driven by tmux. Each instance has its own tmux server
 * socket, so parallel test files never see each other's sessions, and `kill()` removes all of it.
 */
export class Tmux {
  readonly socket: string;
  private alive = false;

  constructor(
    readonly name: string,
    readonly cols = 100,
    readonly rows = 30,
  ) {
    this.socket = `firedrill-${name}-${process.pid}`;
  }

  private tmux(...args: string[]): string {
    return execFileSync("tmux", ["-L", this.socket, ...args], { encoding: "utf8" });
  }

  /** Starts `argv` in the terminal with `env` (CI unset: the TUI only runs outside CI). */
  start(argv: readonly string[], env: Record<string, string> = {}, cwd = process.cwd()): void {
    const assignments = Object.entries(env).map(([k, v]) => `${k}=${quote(v)}`);
    const command = [
      "env",
      "-u",
      "CI",
      "-u",
      "NO_COLOR",
      "-u",
      "FORCE_COLOR",
      ...assignments,
      ...argv.map(quote),
    ].join(" ");
    // `; sleep` keeps the pane (and what the program printed last) readable after it exits.
    this.tmux(
      "new-session",
      "-d",
      "-s",
      this.name,
      "-x",
      String(this.cols),
      "-y",
      String(this.rows),
      "-c",
      cwd,
      // After the program: its exit code, and whether it left the tty cooked (icanon) or raw (-icanon).
      `${command}; echo "[exit $?]"; echo "[tty $(stty -a | grep -o -- '-\\?icanon' | head -1)]"; sleep 60`,
    );
    this.alive = true;
  }

  /** tmux key names (Enter, Tab, Escape, Up, C-c) or literal text with `literal`. */
  keys(...keys: string[]): void {
    this.tmux("send-keys", "-t", this.name, ...keys);
  }

  type(text: string): void {
    this.tmux("send-keys", "-t", this.name, "-l", text);
  }

  screen(): string {
    return this.tmux("capture-pane", "-p", "-t", this.name);
  }

  /** The screen with its SGR escapes (colours, bold), to check what is painted. */
  screenWithEscapes(): string {
    return this.tmux("capture-pane", "-p", "-e", "-t", this.name);
  }

  /** Whether the terminal shows the alternate screen, and whether the cursor is visible. */
  modes(): { alternate: boolean; cursor: boolean } {
    const [alternate, cursor] = this.tmux(
      "display",
      "-p",
      "-t",
      this.name,
      "#{alternate_on} #{cursor_flag}",
    )
      .trim()
      .split(" ");
    return { alternate: alternate === "1", cursor: cursor === "1" };
  }

  /** The pid of the program in the pane (tmux's child shell execs it, or runs it as a child). */
  pid(): number {
    return Number(this.tmux("list-panes", "-t", this.name, "-F", "#{pane_pid}").trim());
  }

  /** The node process the pane runs (a child of the pane's shell). */
  nodePid(): number {
    const pane = this.pid();
    const children = execFileSync("ps", ["-o", "pid=", "--ppid", String(pane)], {
      encoding: "utf8",
    })
      .trim()
      .split(/\s+/)
      .map(Number);
    for (const pid of [...children, pane]) {
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] === process.execPath)
          return pid;
      } catch {
        // exited meanwhile
      }
    }
    throw new Error(`no node process under pane pid ${pane}`);
  }

  resize(cols: number, rows: number): void {
    this.tmux("resize-window", "-t", this.name, "-x", String(cols), "-y", String(rows));
  }

  /** Polls the screen until `test` passes; throws with the last screen after `timeoutMs`. */
  async waitFor(
    test: (screen: string) => boolean,
    timeoutMs = 10_000,
    everyMs = 25,
  ): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = "";
    while (Date.now() < deadline) {
      last = this.screen();
      if (test(last)) return last;
      await new Promise((r) => setTimeout(r, everyMs));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for the screen; it shows:\n${last}`);
  }

  waitForText(text: string, timeoutMs?: number): Promise<string> {
    return this.waitFor((s) => s.includes(text), timeoutMs);
  }

  /** Ends the session and its server, and removes the server's socket (tmux leaves it behind). */
  kill(): void {
    if (!this.alive) return;
    this.alive = false;
    let socketPath = "";
    try {
      socketPath = this.tmux("display", "-p", "#{socket_path}").trim();
    } catch {
      // the server is gone already
    }
    spawnSync("tmux", ["-L", this.socket, "kill-server"], { stdio: "ignore" });
    if (socketPath) rmSync(socketPath, { force: true });
  }
}
