import { describe, expect, it } from "vitest";
import { serviceFromDirectory } from "../../src/cli/commands/init.js";

// On a terminal, `firedrill init` without --service names the service after the directory.
describe("init's default service name", () => {
  it("turns a directory name into a valid id", () => {
    expect(serviceFromDirectory("/home/ana/Checkout API")).toBe("checkout-api");
    expect(serviceFromDirectory("/srv/payments_v2/")).toBe("payments_v2");
    expect(serviceFromDirectory("/work/.hidden-svc")).toBe("hidden-svc");
  });

  it("gives up when nothing usable is left", () => {
    expect(serviceFromDirectory("/tmp/***")).toBeUndefined();
  });
});
