// Entry of a parse worker (dist/parse-worker.js, see parallel-parse.ts): reads and validates its
// share of the files and hands the outcomes back. Loads the model and nothing else of firedrill.
import { parentPort, workerData } from "node:worker_threads";
import { type FileJob, parseFiles } from "./catalog.js";
import type { LoadOptions } from "./load.js";

const share = workerData as { jobs: FileJob[]; options: LoadOptions } | null;
if (parentPort && share) parentPort.postMessage(parseFiles(share.jobs, share.options));
