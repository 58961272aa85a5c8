/** One named proxy: its listener, live connections and toxic chains (Toxiproxy's Proxy + ToxicCollection). */
import { connect, createServer, type Server, type Socket } from "node:net";
import type { Stream } from "../model/toxics.js";
import { ErrToxicAlreadyExists, ErrToxicNotFound } from "./errors.js";
import { Connection, type ConnectionOwner } from "./link.js";
import { bind, parseHostPort } from "./listen-address.js";
import type { Logger } from "./log.js";
import { adoptAccepted, SocketReader } from "./reader.js";
import { type ToxicDef, type ToxicJson, toxicJson } from "./toxic-def.js";

export interface ProxyJson {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: ToxicJson[];
}

export class FaultProxy implements ConnectionOwner {
  enabled = false;
  readonly toxics: Record<Stream, ToxicDef[]> = { upstream: [], downstream: [] };
  private server: Server | undefined;
  private readonly connections = new Set<Connection>();
  private readonly dialing = new Set<Socket>();
  /** Every client socket of the current listener, so stop() can close even half-set-up ones. */
  private readonly accepted = new Set<Socket>();

  constructor(
    readonly name: string,
    public listen: string,
    public upstream: string,
    private readonly log: Logger,
  ) {}

  json(): ProxyJson {
    return {
      name: this.name,
      listen: this.listen,
      upstream: this.upstream,
      enabled: this.enabled,
      toxics: this.toxicList().map(toxicJson),
    };
  }

  /** Upstream chain first, then downstream, each in chain order (Toxiproxy's GetToxicArray). */
  toxicList(): ToxicDef[] {
    return [...this.toxics.upstream, ...this.toxics.downstream];
  }

  findToxic(name: string): ToxicDef | undefined {
    return this.toxicList().find((t) => t.name === name);
  }

  async start(): Promise<void> {
    if (this.enabled) return;
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (client) =>
      this.accept(client),
    );
    this.listen = await bind(server, this.listen);
    server.on("error", (error) =>
      this.log("warn", "listener error", { proxy: this.name, error: error.message }),
    );
    this.server = server;
    this.enabled = true;
  }

  async stop(): Promise<void> {
    if (!this.enabled) return;
    this.enabled = false;
    const server = this.server;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
    for (const conn of this.connections) conn.destroy();
    for (const socket of this.dialing) socket.destroy();
    for (const socket of this.accepted) socket.destroy();
    await closed;
  }

  /** Toxiproxy's Proxy.Update: a new address restarts the listener (dropping connections). */
  async update(input: { listen: string; upstream: string; enabled: boolean }): Promise<void> {
    if (input.listen !== this.listen || input.upstream !== this.upstream) {
      await this.stop();
      this.listen = input.listen;
      this.upstream = input.upstream;
    }
    if (input.enabled !== this.enabled) {
      if (input.enabled) await this.start();
      else await this.stop();
    }
  }

  private accept(client: Socket): void {
    const target = parseHostPort(this.upstream);
    if (!target) {
      client.destroy();
      return;
    }
    this.accepted.add(client);
    client.once("close", () => this.accepted.delete(client));
    client.setNoDelay(true);
    const upstreamReader = new SocketReader();
    const upstream = connect({
      host: target.host,
      port: target.port,
      allowHalfOpen: true,
      onread: upstreamReader.onread,
    });
    this.dialing.add(upstream);
    const clientAddress = `${client.remoteAddress}:${client.remotePort}`;
    const onClientError = () => upstream.destroy();
    client.on("error", onClientError);
    upstream.once("error", (error) => {
      this.dialing.delete(upstream);
      this.log("error", "unable to open connection to upstream", {
        proxy: this.name,
        client: clientAddress,
        upstream: this.upstream,
        error: error.message,
      });
      client.destroy();
    });
    const onEarlyClose = () => {
      this.dialing.delete(upstream);
      client.destroy();
    };
    upstream.once("close", onEarlyClose);
    upstream.once("connect", () => {
      upstream.off("close", onEarlyClose);
      this.dialing.delete(upstream);
      upstream.removeAllListeners("error");
      client.off("error", onClientError);
      if (!this.enabled || client.destroyed) {
        upstream.destroy();
        client.destroy();
        return;
      }
      upstream.setNoDelay(true);
      const clientReader = new SocketReader();
      const adopted = adoptAccepted(client, clientReader);
      this.connections.add(
        new Connection(this, adopted ?? client, upstream, this.toxics, {
          client: adopted && clientReader,
          upstream: upstreamReader,
        }),
      );
      if (!adopted) client.resume();
    });
  }

  connectionClosed(conn: Connection): void {
    this.connections.delete(conn);
  }

  connectionError(conn: Connection, side: "client" | "upstream", error: Error): void {
    this.log("warn", "connection error", {
      proxy: this.name,
      client: `${conn.client.remoteAddress}:${conn.client.remotePort}`,
      side,
      error: error.message,
    });
  }

  addToxic(def: ToxicDef): void {
    if (this.findToxic(def.name)) throw ErrToxicAlreadyExists;
    this.toxics[def.direction].push(def);
    for (const conn of this.connections) conn.link(def.direction).addToxic(def);
  }

  updateToxic(name: string, attributes: Record<string, number>, toxicity: number): ToxicDef {
    const def = this.findToxic(name);
    if (!def) throw ErrToxicNotFound;
    def.attributes = attributes;
    def.toxicity = toxicity;
    for (const conn of this.connections) conn.link(def.direction).updateToxic(name);
    return def;
  }

  removeToxic(name: string): void {
    const def = this.findToxic(name);
    if (!def) throw ErrToxicNotFound;
    const chain = this.toxics[def.direction];
    chain.splice(chain.indexOf(def), 1);
    for (const conn of [...this.connections]) conn.link(def.direction).removeToxic(name);
  }

  resetToxics(): void {
    for (const def of this.toxicList()) this.removeToxic(def.name);
  }
}
