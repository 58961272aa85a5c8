import { commandText } from "../model/common.js";
import { runCommand, tail } from "../platform/command-runner.js";
import type { RevertRecipe } from "./fault-types.js";
import { ToxiproxyApi, ToxiproxyApiError } from "./toxiproxy-api.js";

const apis = new Map<string, ToxiproxyApi>();

export function apiFor(url: string): ToxiproxyApi {
  let api = apis.get(url);
  if (!api) {
    api = new ToxiproxyApi(url);
    apis.set(url, api);
  }
  return api;
}

/**
 * Undoes one fault from its recipe alone. Undoing something already undone succeeds (a missing
 * toxic or proxy counts as reverted), so the drill, the watchdog and cleanup may all try.
 * Rejects with a message that says what could not be undone and why.
 */
export async function executeRecipe(recipe: RevertRecipe): Promise<void> {
  switch (recipe.kind) {
    case "none":
      return;
    case "toxiproxy.removeToxic":
      await apiFor(recipe.url).removeToxic(recipe.proxy, recipe.toxic);
      return;
    case "toxiproxy.enableProxy":
      try {
        await apiFor(recipe.url).setEnabled(recipe.proxy, true);
      } catch (error) {
        if (error instanceof ToxiproxyApiError && error.status === 404) return;
        throw error;
      }
      return;
    case "command": {
      const run = await runCommand(recipe.command, {
        shell: recipe.shell,
        timeoutMs: recipe.timeoutMs,
        cwd: recipe.cwd,
      });
      if (run.failure === undefined && run.exitCode === 0) return;
      const why = run.failure ?? `exit ${run.exitCode}`;
      const output = tail(run.stderr || run.stdout);
      throw new Error(
        `revert command \`${commandText(recipe.command)}\` failed (${why})${output ? `: ${output}` : ""}`,
      );
    }
  }
}
