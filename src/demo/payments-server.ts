import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { messageOf } from "../model/message.js";
import { parseJsonObject, readBody, sendJson } from "./http-util.js";
import { listenTracked } from "./listen.js";
import { Counter, HttpMetrics, metricsText } from "./shop-metrics.js";

/**
 * The demo's payment provider. `POST /charge` answers with a receipt of `receiptBytes` (100 KB by
 * default): on loopback that takes a millisecond or two, but a `bandwidth` toxic on the
 * checkout-payments proxy turns it into seconds, which is the point.
 */
export interface PaymentsServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

export interface PaymentsServerOptions {
  host?: string;
  port?: number;
  receiptBytes?: number;
}

export const DEFAULT_RECEIPT_BYTES = 100_000;

/** Ledger lines padding the receipt to roughly `bytes`; built once, served on every charge. */
function receiptLines(bytes: number): string[] {
  const lines: string[] = [];
  let size = 0;
  for (let n = 1; size < bytes; n++) {
    const line = `${String(n).padStart(6, "0")} settlement trace: acquirer=demo-bank network=demo-net auth=ok risk=low`;
    lines.push(line);
    size += line.length + 3;
  }
  return lines;
}

export async function startPaymentsServer(
  options: PaymentsServerOptions = {},
): Promise<PaymentsServer> {
  const lines = receiptLines(options.receiptBytes ?? DEFAULT_RECEIPT_BYTES);
  let charges = 0;
  const http = new HttpMetrics(["/health", "/charge", "/metrics"]);
  const charged = new Counter(
    "shop_payments_charges",
    "Charges approved with money moving (amount > 0).",
  );
  const server = createServer(async (request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    const answered = http.start(request.method ?? "GET", path ?? "/");
    response.once("finish", () => answered(response.statusCode));
    try {
      if (request.method === "GET" && path === "/metrics") {
        const { type, body } = metricsText([...http.instruments(), charged]);
        response.writeHead(200, { "content-type": type, "cache-control": "no-store" });
        response.end(body);
        return;
      }
      if (request.method === "GET" && path === "/health") {
        sendJson(response, 200, { status: "ok", charges });
        return;
      }
      if (request.method === "POST" && path === "/charge") {
        const body = parseJsonObject(await readBody(request));
        const amountCents = Number(body.amountCents ?? 0);
        if (!Number.isFinite(amountCents) || amountCents < 0) {
          sendJson(response, 400, { error: "amountCents must be a number ≥ 0" });
          return;
        }
        // Probes authorise zero: a real round trip with the full receipt, but no money moves.
        if (amountCents > 0) {
          charges++;
          charged.inc();
        }
        sendJson(response, 200, {
          id: `ch_${randomUUID()}`,
          status: "approved",
          amountCents,
          orderId: typeof body.orderId === "string" ? body.orderId : null,
          receipt: { lines },
        });
        return;
      }
      sendJson(response, 404, { error: `no route ${request.method} ${path}` });
    } catch (error) {
      sendJson(response, 400, { error: messageOf(error) });
    }
  });
  const { port, close } = await listenTracked(server, options);
  return {
    server,
    port,
    close,
  };
}
