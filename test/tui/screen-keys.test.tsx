import { Text } from "ink";
import { render } from "ink-testing-library";
import { memo, StrictMode } from "react";
import { describe, expect, it } from "vitest";
import { ScreenKeys, useScreenKeys } from "../../src/tui/use-keys.js";
import { listening, until } from "./fixtures.js";

// A screen React.memo can skip: its props do not change when the app around it re-renders.
const Screen = memo(function Screen({
  name,
  got,
  active = true,
}: {
  name: string;
  got: string[];
  active?: boolean;
}) {
  useScreenKeys((input) => got.push(`${name}:${input}`), active);
  return <Text>{name}</Text>;
});

function Router({ frame, children }: { frame: number; children: React.ReactNode }) {
  return (
    <ScreenKeys active intercept={(input) => input === "!"}>
      <Text>frame {frame}</Text>
      {children}
    </ScreenKeys>
  );
}

describe("screen keys", () => {
  it("reach a memoised screen after the app re-renders around it, under StrictMode", async () => {
    const got: string[] = [];
    const app = render(
      <StrictMode>
        <Router frame={1}>
          <Screen name="picker" got={got} />
        </Router>
      </StrictMode>,
    );
    await listening(app.stdin);
    app.stdin.write("a");
    await until(() => got.length === 1, "the first key");
    // A clock tick or a resize: the app renders again, the memoised screen does not.
    app.rerender(
      <StrictMode>
        <Router frame={2}>
          <Screen name="picker" got={got} />
        </Router>
      </StrictMode>,
    );
    await until(() => (app.lastFrame() ?? "").includes("frame 2"), "the second frame");
    app.stdin.write("b");
    await until(() => got.length === 2, "the key after the re-render", 1000);
    expect(got).toEqual(["picker:a", "picker:b"]);
    app.unmount();
  });

  it("go to the screen on show only, none once it stops listening, and never the app's own", async () => {
    const got: string[] = [];
    const tree = (screen: React.ReactNode) => (
      <StrictMode>
        <Router frame={0}>{screen}</Router>
      </StrictMode>
    );
    const app = render(tree(<Screen name="picker" got={got} />));
    await listening(app.stdin);
    app.stdin.write("!");
    app.stdin.write("a");
    await until(() => got.length === 1, "a key to the picker");
    app.rerender(tree(<Screen name="briefing" got={got} />));
    await until(() => (app.lastFrame() ?? "").includes("briefing"), "the briefing");
    app.stdin.write("b");
    await until(() => got.length === 2, "a key to the briefing");
    app.rerender(tree(<Screen name="briefing" got={got} active={false} />));
    app.stdin.write("c");
    app.rerender(tree(<Screen name="debrief" got={got} />));
    await until(() => (app.lastFrame() ?? "").includes("debrief"), "the debrief");
    app.stdin.write("d");
    await until(() => got.length === 3, "a key to the debrief");
    expect(got).toEqual(["picker:a", "briefing:b", "debrief:d"]);
    app.unmount();
  });
});
