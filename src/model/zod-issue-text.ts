import type { z } from "zod";
import { formatPath, type PathSegment } from "./problem.js";

/**
 * One zod issue as `field.path: message`, for files firedrill writes itself and reads back (the
 * ledger, journal lines), where no YAML positions exist: the field says what is wrong.
 */
export function zodIssueText(issue: z.core.$ZodIssue | undefined): string {
  if (issue === undefined) return "invalid";
  const path = formatPath(issue.path.filter((s): s is PathSegment => typeof s !== "symbol"));
  return path === "" ? issue.message : `${path}: ${issue.message}`;
}
