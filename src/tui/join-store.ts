import type { ResponderAction } from "../drill/actions.js";
import { reduce } from "../drill/reducer.js";
import { type DrillState, initialState } from "../drill/state.js";
import type { JoinedDrill } from "../share/share-client.js";
import type { HelloMessage, JoinRole, Presence, SharedEvent } from "../share/share-protocol.js";

export interface JoinView {
  role: JoinRole;
  hello: HelloMessage | null;
  /** The drill as the responder's engine has it: the same events through the same reducer. */
  state: DrillState | null;
  presence: Presence;
  /** Date.now() when the last event came, for the ticking clock */
  receivedAt: number;
  /** the last refusal or connection notice */
  notice: string | null;
}

/** What a joined screen draws, kept outside React; replaced (never mutated) on every change. */
export class JoinStore {
  private view: JoinView;
  private readonly listeners = new Set<() => void>();
  client: JoinedDrill | null = null;

  constructor(role: JoinRole) {
    this.view = {
      role,
      hello: null,
      state: null,
      presence: { facilitator: 0, observer: 0, scribe: 0 },
      receivedAt: Date.now(),
      notice: null,
    };
  }

  readonly snapshot = (): JoinView => this.view;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(change: Partial<JoinView>): void {
    this.view = { ...this.view, ...change };
    for (const listener of [...this.listeners]) listener();
  }

  hello(hello: HelloMessage): void {
    if (this.view.hello) return;
    this.set({ hello, state: initialState(hello.setup) });
  }

  event(event: SharedEvent): void {
    const state = this.view.state;
    if (!state) return;
    this.set({ state: reduce(state, event), receivedAt: Date.now() });
  }

  presence(presence: Presence): void {
    this.set({ presence });
  }

  notice(text: string): void {
    this.set({ notice: text });
  }

  act(action: ResponderAction): void {
    void this.client?.act(action).then((result) => {
      this.set({ notice: result.ok ? null : `refused: ${result.error}` });
    });
  }
}
