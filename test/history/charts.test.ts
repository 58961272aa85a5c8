import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { readJournalDir, readJournalFiles } from "../../src/drill/journal-reader.js";
import { svgLineChart } from "../../src/history/charts.js";
import { renderHtml } from "../../src/history/render-html.js";
import { buildDrillReport } from "../../src/history/report-model.js";
import { niceScale, sparkline, textLineChart } from "../../src/platform/text-charts.js";
import { FIXTURE_DIR } from "./make-fixtures.js";

const run = promisify(execFile);

describe("text charts", () => {
  it("sparkline: one bar per drill, scaled, gaps for drills that never recovered", () => {
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8])).toBe("▁▂▃▄▅▆▇█");
    expect(sparkline([10, null, 10])).toBe("▁ ▁");
    expect(sparkline([0, 50, 100], { min: 0, max: 200 })).toBe("▁▃▅");
    expect(sparkline([null, 3], { gap: "·" })).toBe("·▁");
    expect(sparkline([])).toBe("");
  });

  it("line chart: a point per drill, the target as a dotted line, labelled axis", () => {
    const lines = textLineChart(
      [
        { label: "2026-01-05", value: 420_000 },
        { label: "2026-02-02", value: null },
        { label: "2026-02-20", value: 270_000 },
        { label: "2026-03-10", value: 190_000 },
      ],
      { target: 300_000, height: 6 },
    );
    expect(lines).toEqual([
      "       8m ┤  ✕",
      "          ┤●",
      "5m target ┤┄┄┄┄●┄┄┄",
      "          ┤      ●",
      "          ┤",
      "        0 ┤",
      "          └────────",
      "           2026-01-05 2026-03-10",
    ]);
  });
});

describe("svg chart", () => {
  it("draws one circle per recovered drill, a cross per unrecovered one, and the target line", () => {
    const svg = svgLineChart(
      [
        { label: "a", value: 100_000 },
        { label: "b", value: null },
        { label: "c", value: 50_000 },
      ],
      { target: 80_000, highlight: 2 },
    );
    expect(svg.match(/<circle class="point/g)).toHaveLength(2);
    expect(svg.match(/<path class="miss"/g)).toHaveLength(1);
    expect(svg).toContain('class="target"');
    expect(svg).toContain('class="point current"');
    expect(svg).toContain('data-points="2"');
  });

  it("picks round ticks", () => {
    expect(niceScale(441_000)).toEqual({ top: 480_000, step: 120_000 });
    expect(niceScale(50_000)).toEqual({ top: 50_000, step: 10_000 });
  });
});

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find(
  existsSync,
);
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("html report in a real browser", () => {
  it.skipIf(!CHROMIUM)(
    "renders the chart with one visible point per recovered drill (skipped without Chromium: apt-get install chromium)",
    async () => {
      const all = readJournalDir(FIXTURE_DIR).drills;
      const file = `${FIXTURE_DIR}/2026-03-10T11-00-00Z-checkout-db-latency.jsonl`;
      const [drill] = readJournalFiles([file], { keepEvents: true }).drills;
      const html = renderHtml(buildDrillReport(drill!, all, null));
      const dir = mkdtempSync(join(tmpdir(), "firedrill-chromium-"));
      dirs.push(dir);
      // The report itself forbids scripts; a copy with a probe script measures what was laid out.
      const probe = `<script>
        const svg = document.querySelector("svg.ttr-chart");
        const box = svg.getBoundingClientRect();
        const shown = [...svg.querySelectorAll("circle.point")].filter((c) => {
          const r = c.getBoundingClientRect();
          return r.width > 0 && r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom;
        });
        const target = svg.querySelector("line.target").getBoundingClientRect();
        document.body.setAttribute("data-rendered", shown.length + "/" + svg.dataset.points + "/" + (target.width > 0));
      </script>`;
      const page = join(dir, "probe.html");
      writeFileSync(
        page,
        html
          .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, "")
          .replace("</body>", `${probe}</body>`),
      );
      const args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        `--user-data-dir=${join(dir, "profile")}`,
        "--dump-dom",
      ];
      const { stdout } = await run(CHROMIUM!, [...args, pathToFileURL(page).href], {
        timeout: 60_000,
      });
      expect(stdout).toContain('data-rendered="3/3/true"');
      // The report as shipped (with its CSP) also loads and keeps the chart.
      const shipped = join(dir, "report.html");
      writeFileSync(shipped, html);
      const dom = await run(CHROMIUM!, [...args, pathToFileURL(shipped).href], { timeout: 60_000 });
      expect(dom.stdout.match(/<circle class="point/g)).toHaveLength(3);
    },
    90_000,
  );
});
