import type { Server as HttpServer } from "node:http";
import type { Server as NetServer, Socket } from "node:net";

export interface Listening {
  port: number;
  /** Destroys every open connection, then closes the listener: stop() must not wait on clients. */
  close(): Promise<void>;
}

/** Listens on loopback (port 0: one the OS picks) and tracks connections so close() is prompt. */
export async function listenTracked(
  server: NetServer | HttpServer,
  options: { port?: number; host?: string },
): Promise<Listening> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
