import type { Plugin } from "esbuild";

export declare const inkOutputReplacement: string;
export declare function importsInkOutput(specifier: string, importer: string | undefined): boolean;
export declare const inkOutputForEsbuild: Plugin;
export declare const inkOutputForVite: {
  name: string;
  enforce: "pre";
  resolveId(source: string, importer: string | undefined): string | null;
  load(id: string): string | null;
};
