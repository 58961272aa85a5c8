import type { BuildOptions, Plugin } from "esbuild";

export declare const bundleOptions: BuildOptions & { plugins: Plugin[] };
