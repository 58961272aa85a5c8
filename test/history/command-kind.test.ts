import { describe, expect, it } from "vitest";
import { commandKind } from "../../src/history/command-kind.js";

const shell = (command: string) => commandKind(command, null);

describe("a typed command as a suggested runbook step", () => {
  it("is a check when it only reads", () => {
    expect(shell("curl -s http://127.0.0.1:18080/health | python3 -m json.tool")).toBe("check");
    expect(shell("curl -sS -X GET http://db:8080/status 2>&1 | jq .state")).toBe("check");
    expect(shell("curl -I https://example.com >/dev/null && echo up")).toBe("check");
    expect(shell("kubectl get pods -n shop | grep -v Running")).toBe("check");
    expect(shell("kubectl rollout status deploy/checkout")).toBe("check");
    expect(shell("FOO=1 sudo journalctl -u checkout --since '5 min ago' | tail -n 50")).toBe(
      "check",
    );
    expect(
      commandKind("curl -s localhost:8474/proxies", ["curl", "-s", "localhost:8474/proxies"]),
    ).toBe("check");
  });

  it("is an action when it may change something, or cannot be told", () => {
    expect(shell("kubectl rollout restart deploy/checkout")).toBe("action");
    expect(
      commandKind("kubectl rollout restart deploy/checkout", [
        "kubectl",
        "rollout",
        "restart",
        "deploy/checkout",
      ]),
    ).toBe("action");
    expect(shell("curl -X POST http://127.0.0.1:18080/admin/failover")).toBe("action");
    expect(shell("curl -XPOST http://127.0.0.1:18080/admin/failover")).toBe("action");
    expect(shell("curl -s -d '{\"on\":true}' http://127.0.0.1:18080/admin/fallback")).toBe(
      "action",
    );
    expect(shell("curl --request DELETE http://x/toxics/a")).toBe("action");
    expect(shell("curl -s http://x/health > health.json")).toBe("action");
    expect(shell("curl -s http://x/health | tee health.json")).toBe("action");
    expect(shell("sed -i s/a/b/ config.yaml")).toBe("action");
    expect(shell("echo $(rm -rf /tmp/x)")).toBe("action");
    expect(shell("systemctl restart checkout")).toBe("action");
    expect(shell("./failover.sh --to replica")).toBe("action");
  });
});
