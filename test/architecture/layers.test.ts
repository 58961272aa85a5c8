// The layer order of docs/CONTRIBUTING.md, checked over every import in src/: static, type-only,
// re-exports, side-effect and dynamic imports alike.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/** Bottom first: a folder may import itself and the folders before it, never one after it. */
const LAYERS = [
  "model",
  "platform",
  "proxy",
  "probes",
  "faults",
  "drill",
  "share",
  "tui",
  "history",
  "demo",
  "cli",
] as const;

/** Files outside src/ that src/ may read: the CLI's version comes from package.json. */
const OUTSIDE_SRC = new Set(["package.json"]);

const ROOT = resolve(import.meta.dirname, "../..");
const SRC = join(ROOT, "src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts|cts)$/.test(entry.name) ? [path] : [];
  });
}

/** Every module specifier `text` imports or re-exports. */
function specifiers(text: string): string[] {
  const patterns = [
    // import … from "x", import type … from "x", export … from "x" (over several lines)
    /^\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']/gm,
    // import "x"
    /^\s*import\s*["']([^"']+)["']/gm,
    // import("x"), typeof import("x")
    /\bimport\(\s*["']([^"']+)["']\s*[,)]/g,
  ];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1] as string));
}

interface Import {
  file: string;
  specifier: string;
}

const imports: Import[] = sourceFiles(SRC).flatMap((path) =>
  specifiers(readFileSync(path, "utf8")).map((specifier) => ({
    file: relative(ROOT, path),
    specifier,
  })),
);

/** src/<folder>/… → folder; undefined outside src/. */
function folderOf(path: string): string | undefined {
  const inSrc = relative(SRC, path);
  if (inSrc.startsWith("..")) return undefined;
  return inSrc.split(/[\\/]/)[0];
}

const local = imports
  .filter((i) => i.specifier.startsWith("."))
  .map((i) => {
    const target = resolve(ROOT, dirname(i.file), i.specifier);
    return { ...i, from: folderOf(resolve(ROOT, i.file)) ?? "", to: folderOf(target), target };
  });

const rank = (folder: string) => (LAYERS as readonly string[]).indexOf(folder);

describe("layers (docs/CONTRIBUTING.md)", () => {
  it("finds every kind of import", () => {
    const sample = [
      'import { a } from "./a.js";',
      'import type { B } from "../b.js";',
      "import {\n  c,\n  d,\n} from '../c.js';",
      'export { e } from "./e.js";',
      'export * from "./f.js";',
      'import "./g.js";',
      'const h = await import("../h.js");',
      'let i: typeof import("./i.js");',
    ].join("\n");
    expect(specifiers(sample).sort()).toEqual(
      ["./a.js", "../b.js", "../c.js", "./e.js", "./f.js", "./g.js", "../h.js", "./i.js"].sort(),
    );
    expect(imports.length).toBeGreaterThan(500);
    // the CLI reaches the TUI only through a dynamic import: it must be seen
    expect(local).toContainEqual(
      expect.objectContaining({ file: "src/cli/main.ts", specifier: "../tui/interactive.js" }),
    );
  });

  it("gives every folder under src/ a place in the order, and no file outside one", () => {
    const entries = readdirSync(SRC, { withFileTypes: true });
    expect(entries.filter((e) => !e.isDirectory()).map((e) => e.name)).toEqual([]);
    const unplaced = entries.filter((e) => e.isDirectory() && rank(e.name) < 0).map((e) => e.name);
    expect(unplaced, "add these folders to LAYERS and docs/CONTRIBUTING.md").toEqual([]);
  });

  it("imports only downwards: never a folder above, never outside src/", () => {
    const upward = local
      .filter((i) => {
        if (i.to === undefined) return !OUTSIDE_SRC.has(relative(ROOT, i.target));
        return i.to !== i.from && rank(i.to) > rank(i.from);
      })
      .map((i) => `${i.file} imports ${i.specifier} (${i.from} → ${i.to ?? "outside src/"})`);
    expect(upward, `order, bottom first: ${LAYERS.join(" → ")}`).toEqual([]);
  });

  it("has no cycle between folders", () => {
    const edges = new Map<string, Set<string>>();
    for (const i of local) {
      if (i.to === undefined || i.to === i.from) continue;
      edges.set(i.from, (edges.get(i.from) ?? new Set()).add(i.to));
    }
    const cycles: string[] = [];
    const done = new Set<string>();
    const visit = (folder: string, path: string[]) => {
      if (path.includes(folder)) {
        cycles.push([...path.slice(path.indexOf(folder)), folder].join(" → "));
        return;
      }
      if (done.has(folder)) return;
      for (const next of edges.get(folder) ?? []) visit(next, [...path, folder]);
      done.add(folder);
    };
    for (const folder of edges.keys()) visit(folder, []);
    expect(cycles).toEqual([]);
  });

  it("imports other packages by their public entry points only, and only declared ones", () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    const declared = new Set([
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.devDependencies ?? {}),
    ]);
    const wrong: string[] = [];
    for (const { file, specifier } of imports) {
      if (specifier.startsWith(".") || isBuiltin(specifier)) continue;
      const parts = specifier.split("/");
      const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] as string);
      const subpath = `.${specifier.slice(name.length)}`;
      if (!declared.has(name)) {
        wrong.push(`${file}: ${specifier} is not in package.json`);
        continue;
      }
      if (!isExported(name, subpath)) {
        wrong.push(`${file}: ${specifier} is not a path ${name} exports`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

/** Whether `subpath` ("." or "./x") is public in package `name`: its `exports` map lists it. */
function isExported(name: string, subpath: string): boolean {
  const manifestPath = join(ROOT, "node_modules", name, "package.json");
  if (!existsSync(manifestPath)) return false;
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { exports?: unknown };
  const exports = manifest.exports;
  // No map: only the entry point (main) is the package's own way in.
  if (exports === undefined) return subpath === ".";
  if (typeof exports === "string" || Array.isArray(exports)) return subpath === ".";
  const keys = Object.keys(exports as object);
  // A map of conditions ("import", "types", …) describes "." alone.
  if (keys.every((k) => !k.startsWith("."))) return subpath === ".";
  return keys.some((key) => {
    if (!key.includes("*")) return key === subpath;
    const [head, tail] = key.split("*") as [string, string];
    return subpath.startsWith(head) && subpath.endsWith(tail) && subpath.length >= key.length - 1;
  });
}
