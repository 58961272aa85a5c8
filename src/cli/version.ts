// Replaced at bundle time would be nicer, but reading package.json keeps `tsx` runs honest too.
import pkg from "../../package.json" with { type: "json" };

export const VERSION: string = pkg.version;
