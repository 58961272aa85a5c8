/**
 * Reading API request bodies with a size cap. Toxiproxy configs are a few KB; without a cap a
 * 600 MB upload was buffered whole and then crashed the process turning it into a string.
 */
import type { IncomingMessage } from "node:http";
import { ApiError } from "./errors.js";

/** 1 MiB: a populate of thousands of proxies still fits. */
export const MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLarge extends ApiError {
  constructor(limit: number) {
    super(`request body too large: at most ${limit} bytes`, 413);
  }
}

/** Settles once the whole body is in; rejects with BodyTooLarge as soon as it exceeds `limit`. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(req.headers["content-length"]);
  if (declared > limit) return Promise.reject(new BodyTooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        chunks.length = 0;
        reject(new BodyTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
    req.on("close", () => {
      if (!req.complete) reject(new Error("request aborted"));
    });
  });
}
