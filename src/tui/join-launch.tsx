import { render } from "ink";
import { colorAllowed as colorWanted } from "../platform/colour.js";
import { type JoinEnd, joinDrill } from "../share/share-client.js";
import type { JoinRole } from "../share/share-protocol.js";
import { JoinScreen } from "./join-screen.js";
import { JoinStore } from "./join-store.js";
import { paintFor, ThemeProvider } from "./theme.js";

const ENTER = "\u001b[?1049h\u001b[H";
const LEAVE = "\u001b[?25h\u001b[?1049l";

/**
 * `firedrill join` in a terminal: the role's screen until the drill ends (its outcome is printed
 * on the normal screen) or the person leaves with q. Leaving never stops the drill.
 */
export async function openJoinTui(url: string, role: JoinRole, token: string): Promise<JoinEnd> {
  const store = new JoinStore(role);
  const client = joinDrill({
    url,
    token,
    onHello: (hello) => store.hello(hello),
    onEvent: (event) => store.event(event),
    onPresence: (presence) => store.presence(presence),
    onNotice: (text) => store.notice(text),
  });
  store.client = client;
  const stdout = process.stdout;
  stdout.write(ENTER);
  let quit: (() => void) | undefined;
  const left = new Promise<JoinEnd>((resolve) => {
    quit = () => resolve({ kind: "failed", error: "left" });
  });
  const instance = render(
    <ThemeProvider value={paintFor(colorWanted())}>
      <JoinScreen
        store={store}
        width={stdout.columns ?? 80}
        height={stdout.rows ?? 24}
        onQuit={() => quit?.()}
      />
    </ThemeProvider>,
    { exitOnCtrlC: false, patchConsole: false },
  );
  const end = await Promise.race([client.done, left]);
  client.close();
  instance.unmount();
  stdout.write(LEAVE);
  return end;
}
