import { z } from "zod";

/** A word (`prod`), or `/regex/flags`, which must compile: an invalid one would match nothing. */
function ProductionPattern() {
  return z.string().superRefine((pattern, ctx) => {
    const regex = /^\/(.+)\/([a-z]*)$/.exec(pattern);
    if (!regex) return;
    try {
      new RegExp(regex[1] ?? "", regex[2]);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      ctx.addIssue({
        code: "custom",
        message: `${pattern} is not a valid regular expression (${why}); write a word such as prod, or /regex/flags`,
      });
    }
  });
}

export const Config = z.strictObject({
  toxiproxyUrl: z.url().default("http://127.0.0.1:8474"),
  allowHosts: z.array(z.string()).default(["127.0.0.1", "localhost", "::1"]),
  productionPatterns: z.array(ProductionPattern()).default(["prod", "production", "prd"]),
  journalDir: z.string().default(".firedrill/drills"),
  scenarios: z.string().default("scenarios"),
  runbooks: z.string().default("runbooks"),
  reviewMaxAgeDays: z.number().int().min(1).default(180),
  staleAfterDays: z.number().int().min(1).default(90),
  /** a Prometheus Pushgateway every drill's figures are pushed to when it ends (like `run --push`) */
  pushgateway: z.url().optional(),
});
export type Config = z.infer<typeof Config>;
