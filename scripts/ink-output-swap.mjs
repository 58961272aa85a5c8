// ink draws every frame into `build/output.js`; firedrill ships its own, faster one with the same
// output (src/tui/ink-output.ts, which says why). One rule for each tool that loads ink: the
// bundle (esbuild) and the tests (vite), so what is tested is what ships.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const inkOutputReplacement = fileURLToPath(
  new URL("../src/tui/ink-output.ts", import.meta.url),
);

/** True when `importer` is ink's renderer asking for its Output: the one import to redirect. */
export function importsInkOutput(specifier, importer) {
  return (
    specifier === "./output.js" &&
    typeof importer === "string" &&
    /[\\/]node_modules[\\/]ink[\\/]build[\\/]renderer\.js$/.test(importer)
  );
}

export const inkOutputForEsbuild = {
  name: "ink-output",
  setup(build) {
    build.onResolve({ filter: /^\.\/output\.js$/ }, (args) =>
      importsInkOutput(args.path, args.importer) ? { path: inkOutputReplacement } : undefined,
    );
  },
};

export const inkOutputForVite = {
  name: "ink-output",
  enforce: "pre",
  resolveId(source, importer) {
    return importsInkOutput(source, importer) ? inkOutputReplacement : null;
  },
  // ink (and ink-testing-library, which must share its instance) ship source maps whose sources
  // they do not ship; vite warns about each such file it inlines.
  load(id) {
    if (!/[\\/]node_modules[\\/]ink(-testing-library)?[\\/]build[\\/].*\.js$/.test(id)) return null;
    return readFileSync(id, "utf8").replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n");
  },
};
