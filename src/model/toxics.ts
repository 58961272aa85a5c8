/**
 * Toxiproxy's toxic catalogue: types, attributes, their units and ranges. The scenario schema and
 * the embedded proxy both validate against this one table so they can never disagree.
 */
export const TOXIC_TYPES = [
  "latency",
  "bandwidth",
  "slow_close",
  "timeout",
  "reset_peer",
  "slicer",
  "limit_data",
  "noop",
] as const;
export type ToxicType = (typeof TOXIC_TYPES)[number];

export const STREAMS = ["upstream", "downstream"] as const;
export type Stream = (typeof STREAMS)[number];

export interface AttributeSpec {
  /** What the number means, for error messages and JSON Schema descriptions. */
  unit: string;
  description: string;
  default: number;
}

export const TOXIC_ATTRIBUTES: Record<ToxicType, Record<string, AttributeSpec>> = {
  latency: {
    latency: { unit: "ms", description: "delay added to every chunk", default: 0 },
    jitter: { unit: "ms", description: "uniform ± variation around latency", default: 0 },
  },
  bandwidth: {
    rate: {
      unit: "KB/s",
      description: "throughput limit (1 KB = 1000 bytes; 0 stalls)",
      default: 0,
    },
  },
  slow_close: {
    delay: { unit: "ms", description: "delay before the close after EOF", default: 0 },
  },
  timeout: {
    timeout: {
      unit: "ms",
      description: "drop data, then close after this long (0 holds forever)",
      default: 0,
    },
  },
  reset_peer: {
    timeout: { unit: "ms", description: "reset the connection (RST) after this long", default: 0 },
  },
  slicer: {
    average_size: { unit: "bytes", description: "average size of a slice", default: 0 },
    size_variation: { unit: "bytes", description: "± variation of slice sizes", default: 0 },
    delay: { unit: "µs", description: "delay between slices", default: 0 },
  },
  limit_data: {
    bytes: { unit: "bytes", description: "close the connection after this many bytes", default: 0 },
  },
  noop: {},
};

export function isToxicType(value: unknown): value is ToxicType {
  return typeof value === "string" && (TOXIC_TYPES as readonly string[]).includes(value);
}

/** Names Toxiproxy and firedrill accept for proxies and toxics. */
export const NAME_PATTERN = /^[A-Za-z0-9._-]+$/;
