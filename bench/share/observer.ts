// One joined observer for bench/share/run.ts, in its own process as a real one would be: records
// when each event arrives (wall clock, sub-millisecond) and prints them once the drill ends.
import { joinDrill } from "../../src/share/share-client.js";

const [url = "", token = ""] = process.argv.slice(2);
const arrivals: [number, number][] = [];
const client = joinDrill({
  url,
  token,
  onEvent: (e) => arrivals.push([e.seq, performance.timeOrigin + performance.now()]),
});
const end = await client.done;
process.stdout.write(`${JSON.stringify({ end: end.kind, arrivals })}\n`);
