// The one import for other areas (TUI History screen, lint staleness, CLI).

export {
  listJournalFiles,
  parseJournal,
  type ReadOptions,
  type ReadResult,
  readJournalDir,
  readJournalFiles,
} from "../drill/journal-reader.js";
export type {
  DrillDigest,
  DrillOutcome,
  DrillRecord,
  JournalProblem,
} from "../drill/journal-record.js";
export { problemText } from "../drill/journal-record.js";
export { type Adherence, compareToExpected, type StepVerdict } from "./adherence.js";
export {
  type ChartPoint,
  niceScale,
  type SvgChartOptions,
  sparkline,
  svgLineChart,
  type TextChartOptions,
  textLineChart,
} from "./charts.js";
export { formatDate, formatDay, OUTCOME_TEXT } from "./describe.js";
export { procedureOf, type RunbookDrift, runbookDrift } from "./drift.js";
export { latestPerScenario, renderCsv, renderJson, renderJunit } from "./exports.js";
export { type DrillFilter, matchesHeader, parseSince } from "./filters.js";
export { historyJson, renderHistoryText, shareText, trendText } from "./history-view.js";
export { renderHtml } from "./render-html.js";
export { renderMarkdown } from "./render-md.js";
export { buildDrillReport, type DrillReport, driftReports } from "./report-model.js";
export { lastDrilledAt, lastDrilledServiceAt, type Staleness, staleIds } from "./staleness.js";
export {
  type Aggregate,
  aggregate,
  type GroupBy,
  mean,
  median,
  percentile,
  type Trend,
  type TtrStats,
  trend,
  ttrStats,
} from "./stats.js";
