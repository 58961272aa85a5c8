import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { type FileExecutor, type FileOutcome, parseFiles } from "./catalog.js";

/**
 * A worker first loads the model (yaml, zod), which takes about as long as parsing this many
 * files here; shares are balanced so every thread finishes together.
 */
const STARTUP_IN_FILES = 250;
/** A worker is only worth starting for at least this many files of its own. */
const MIN_WORKER_SHARE = 200;

/**
 * The bundled worker entry beside this code (dist/parse-worker.js). Run from source (tsx, a test
 * runner) there is none, and everything is parsed in this thread.
 */
function workerEntry(): URL | undefined {
  const entry = new URL("./parse-worker.js", import.meta.url);
  return entry.protocol === "file:" && existsSync(fileURLToPath(entry)) ? entry : undefined;
}

/**
 * Parses a big tree on every core: this thread takes the first share while worker threads take
 * the rest. A failed worker's share is parsed here, so the result never depends on threads.
 * With `yaml` as the only YAML reader, lint over 1,000 scenarios + 300 runbooks needs this to stay
 * near its 2 s target (bench/lint); a normal repository has too few files to start a worker.
 */
export const parallelExecutor: FileExecutor = async (jobs, options) => {
  const entry = workerEntry();
  let threads = Math.min(availableParallelism(), 4);
  // Main share m and worker shares w: m = STARTUP + w, m + (threads - 1) * w = jobs.
  const workerShare = () => (jobs.length - STARTUP_IN_FILES) / threads;
  while (threads >= 2 && workerShare() < MIN_WORKER_SHARE) threads--;
  if (threads < 2 || entry === undefined) return parseFiles(jobs, options);
  const mainShare = Math.ceil(jobs.length - (threads - 1) * workerShare());
  const rest = jobs.slice(mainShare);
  const size = Math.ceil(rest.length / (threads - 1));
  const shards = [];
  for (let i = 0; i < rest.length; i += size) shards.push(rest.slice(i, i + size));
  const pending = shards.map((shard) =>
    new Promise<FileOutcome[]>((resolve, reject) => {
      const worker = new Worker(entry, { workerData: { jobs: shard, options } });
      worker.once("message", (outcomes: FileOutcome[]) => resolve(outcomes));
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`parse worker exited ${code}`)));
    }).catch(() => parseFiles(shard, options)),
  );
  const mine = parseFiles(jobs.slice(0, mainShare), options);
  return [...mine, ...(await Promise.all(pending)).flat()];
};
