import { z } from "zod";

export const Config = z.strictObject({
  toxiproxyUrl: z.url().default("http://127.0.0.1:8474"),
  allowHosts: z.array(z.string()).default(["127.0.0.1", "localhost", "::1"]),
  productionPatterns: z.array(z.string()).default(["prod", "production"]),
  journalDir: z.string().default(".firedrill/drills"),
  scenarios: z.string().default("scenarios"),
  runbooks: z.string().default("runbooks"),
  reviewMaxAgeDays: z.number().int().min(1).default(180),
  staleAfterDays: z.number().int().min(1).default(90),
});
export type Config = z.infer<typeof Config>;
