/** The set of proxies and the operations the API performs on it (Toxiproxy's ProxyCollection). */

import { messageOf } from "../model/message.js";
import {
  ApiError,
  asApiError,
  ErrBadRequestBody,
  ErrMissingField,
  ErrProxyAlreadyExists,
  ErrProxyNotFound,
  ErrToxicAlreadyExists,
  ErrToxicNotFound,
} from "./errors.js";
import { FaultProxy } from "./fault-proxy.js";
import { boolField, isObject, jsonKind, stringField } from "./json.js";
import { checkListen, checkUpstream, parseHostPort } from "./listen-address.js";
import type { Logger } from "./log.js";
import {
  applyAttributes,
  checkName,
  parseNewToxic,
  parseToxicUpdate,
  type ToxicDef,
} from "./toxic-def.js";

export interface ProxyConfig {
  name: string;
  listen?: string;
  upstream: string;
  enabled?: boolean;
}

interface ProxyInput {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
}

function parseProxyInput(body: unknown, where: string, goType: string): ProxyInput {
  if (!isObject(body)) {
    throw ApiError.join(
      ErrBadRequestBody,
      `json: cannot unmarshal ${jsonKind(body)} into Go value of type ${goType}`,
    );
  }
  const name = stringField(body, "name", "Proxy") ?? "";
  const listen = stringField(body, "listen", "Proxy") ?? "";
  const upstream = stringField(body, "upstream", "Proxy") ?? "";
  const enabled = boolField(body, "enabled", "Proxy") ?? true;
  if (name === "") throw ApiError.join(ErrMissingField, `name${where}`);
  if (upstream === "") throw ApiError.join(ErrMissingField, `upstream${where}`);
  checkName(name, "proxy");
  checkListen(listen, where);
  checkUpstream(upstream, where);
  return { name, listen, upstream, enabled };
}

/** Same place to listen? An omitted listen or port 0 matches whatever was bound before. */
function sameListen(requested: string, bound: string): boolean {
  if (requested === "") return true;
  const want = parseHostPort(requested);
  const have = parseHostPort(bound);
  if (!want || !have) return requested === bound;
  const host = want.host === "" || want.host === "localhost" ? "127.0.0.1" : want.host;
  return host === have.host && (want.port === 0 || want.port === have.port);
}

export class ProxyCollection {
  private readonly proxies = new Map<string, FaultProxy>();

  constructor(private readonly log: Logger) {}

  /** Sorted by name, as Go marshals a map. */
  list(): FaultProxy[] {
    return [...this.proxies.values()].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
  }

  get(name: string): FaultProxy {
    const proxy = this.proxies.get(name);
    if (!proxy) throw ErrProxyNotFound;
    return proxy;
  }

  async create(body: unknown): Promise<FaultProxy> {
    const input = parseProxyInput(body, "", "toxiproxy.Proxy");
    if (this.proxies.has(input.name)) throw ErrProxyAlreadyExists;
    const proxy = new FaultProxy(input.name, input.listen, input.upstream, this.log);
    if (input.enabled) await proxy.start();
    this.proxies.set(proxy.name, proxy);
    this.logProxy("proxy created", proxy);
    return proxy;
  }

  /** Creates or replaces; proxies whose addresses are unchanged keep their toxics and connections. */
  async populate(body: unknown): Promise<{ proxies: FaultProxy[]; error?: ApiError }> {
    if (!Array.isArray(body)) {
      throw ApiError.join(
        ErrBadRequestBody,
        `json: cannot unmarshal ${jsonKind(body)} into Go value of type []toxiproxy.Proxy`,
      );
    }
    const inputs: ProxyInput[] = [];
    const seen = new Set<string>();
    body.forEach((item, i) => {
      const input = parseProxyInput(item, ` at proxy ${i + 1}`, "toxiproxy.Proxy");
      if (seen.has(input.name)) {
        throw ApiError.join(
          ErrBadRequestBody,
          `duplicate proxy name ${JSON.stringify(input.name)} at proxy ${i + 1}`,
        );
      }
      seen.add(input.name);
      inputs.push(input);
    });
    const proxies: FaultProxy[] = [];
    for (const input of inputs) {
      try {
        proxies.push(await this.addOrReplace(input));
      } catch (error) {
        return { proxies, error: asApiError(error) };
      }
    }
    return { proxies };
  }

  private async addOrReplace(input: ProxyInput): Promise<FaultProxy> {
    const existing = this.proxies.get(input.name);
    if (
      existing &&
      existing.upstream === input.upstream &&
      sameListen(input.listen, existing.listen)
    ) {
      if (existing.enabled !== input.enabled) {
        await existing.update({ ...existing, enabled: input.enabled });
        this.logProxy("proxy updated", existing);
      }
      return existing;
    }
    if (existing) await existing.stop();
    const proxy = new FaultProxy(input.name, input.listen, input.upstream, this.log);
    if (input.enabled) await proxy.start();
    this.proxies.set(proxy.name, proxy);
    this.logProxy(existing ? "proxy replaced" : "proxy created", proxy);
    return proxy;
  }

  async update(name: string, body: unknown): Promise<FaultProxy> {
    const proxy = this.get(name);
    if (!isObject(body)) {
      throw ApiError.join(
        ErrBadRequestBody,
        `json: cannot unmarshal ${jsonKind(body)} into Go value of type toxiproxy.Proxy`,
      );
    }
    const listen = stringField(body, "listen", "Proxy") ?? proxy.listen;
    const upstream = stringField(body, "upstream", "Proxy") ?? proxy.upstream;
    const enabled = boolField(body, "enabled", "Proxy") ?? proxy.enabled;
    checkListen(listen);
    checkUpstream(upstream);
    try {
      await proxy.update({ listen, upstream, enabled });
    } finally {
      this.logProxy("proxy updated", proxy);
    }
    return proxy;
  }

  async remove(name: string): Promise<void> {
    const proxy = this.get(name);
    await proxy.stop();
    this.proxies.delete(name);
    this.log("info", "proxy deleted", { name });
  }

  /** Every proxy enabled, every toxic removed — all of them, even if one cannot be re-enabled. */
  async reset(): Promise<void> {
    const failures: string[] = [];
    for (const proxy of this.proxies.values()) {
      try {
        await proxy.start();
      } catch (error) {
        failures.push(`${proxy.name}: ${messageOf(error)}`);
      }
      proxy.resetToxics();
    }
    this.log("info", "reset", { proxies: this.proxies.size, failed: failures.length });
    if (failures.length > 0) {
      throw new ApiError(`reset: could not re-enable proxy ${failures.join("; ")}`, 500);
    }
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.proxies.values()].map((p) => p.stop()));
  }

  addToxic(proxyName: string, body: unknown): ToxicDef {
    const proxy = this.get(proxyName);
    const { def, rawAttributes } = parseNewToxic(body);
    if (proxy.findToxic(def.name)) throw ErrToxicAlreadyExists;
    def.attributes = applyAttributes(def.type, undefined, rawAttributes);
    proxy.addToxic(def);
    this.logToxic("toxic added", proxy, def);
    return def;
  }

  updateToxic(proxyName: string, toxicName: string, body: unknown): ToxicDef {
    const proxy = this.get(proxyName);
    const def = proxy.findToxic(toxicName);
    if (!def) throw ErrToxicNotFound;
    const { attributes, toxicity } = parseToxicUpdate(def, body);
    proxy.updateToxic(toxicName, attributes, toxicity);
    this.logToxic("toxic updated", proxy, def);
    return def;
  }

  removeToxic(proxyName: string, toxicName: string): void {
    const proxy = this.get(proxyName);
    proxy.removeToxic(toxicName);
    this.log("info", "toxic removed", { proxy: proxy.name, toxic: toxicName });
  }

  private logProxy(message: string, proxy: FaultProxy): void {
    this.log("info", message, {
      name: proxy.name,
      listen: proxy.listen,
      upstream: proxy.upstream,
      enabled: proxy.enabled,
    });
  }

  private logToxic(message: string, proxy: FaultProxy, def: ToxicDef): void {
    this.log("info", message, {
      proxy: proxy.name,
      toxic: def.name,
      type: def.type,
      stream: def.direction,
      toxicity: def.toxicity,
      ...def.attributes,
    });
  }
}
