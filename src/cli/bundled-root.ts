import { fileURLToPath } from "node:url";

/** The package root holding the bundled samples, seen from `dist/`. */
export function bundledRoot(): string {
  return fileURLToPath(new URL("..", import.meta.url));
}
