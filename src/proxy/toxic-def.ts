/**
 * A toxic as the API sees it: parsing and validating create/update bodies against the shared
 * catalogue in src/model/toxics.ts, and its JSON shape (Toxiproxy's field order).
 */
import {
  isToxicType,
  NAME_PATTERN,
  type Stream,
  TOXIC_ATTRIBUTES,
  type ToxicType,
} from "../model/toxics.js";
import { ApiError, ErrBadRequestBody, ErrInvalidStream, ErrInvalidToxicType } from "./errors.js";
import { field, isObject, type JsonObject, jsonKind, stringField, unmarshalError } from "./json.js";

export interface ToxicDef {
  name: string;
  type: ToxicType;
  /** As the client spelled it (Toxiproxy accepts any case and echoes it back). */
  stream: string;
  direction: Stream;
  toxicity: number;
  attributes: Record<string, number>;
}

export interface ToxicJson {
  attributes: Record<string, number>;
  name: string;
  type: string;
  stream: string;
  toxicity: number;
}

export function toxicJson(def: ToxicDef): ToxicJson {
  return {
    attributes: { ...def.attributes },
    name: def.name,
    type: def.type,
    stream: def.stream,
    toxicity: def.toxicity,
  };
}

const MAX_TIMER = 2_147_483_647;

export function checkName(name: string, what: "proxy" | "toxic"): void {
  const invalid = `invalid ${what} name ${JSON.stringify(name)}`;
  if (!NAME_PATTERN.test(name)) {
    throw ApiError.join(
      ErrBadRequestBody,
      `${invalid}: use only letters, digits, '.', '_' and '-'`,
    );
  }
  // They match the pattern, but URLs cannot address them: clients normalise them away.
  if (name === "." || name === "..") {
    throw ApiError.join(
      ErrBadRequestBody,
      `${invalid}: "." and ".." cannot be used in a URL, use other characters too`,
    );
  }
}

/** The part of AddToxicJson before the name-conflict check: defaults, stream, name, type. */
export function parseNewToxic(body: unknown): { def: ToxicDef; rawAttributes: unknown } {
  if (!isObject(body)) {
    throw ApiError.join(
      ErrBadRequestBody,
      `json: cannot unmarshal ${jsonKind(body)} into Go value of type toxics.ToxicWrapper`,
    );
  }
  const stream = stringField(body, "stream", "ToxicWrapper") ?? "downstream";
  const typeName = stringField(body, "type", "ToxicWrapper") ?? "";
  let name = stringField(body, "name", "ToxicWrapper") ?? "";
  const toxicity = parseToxicity(field(body, "toxicity")) ?? 1;
  const lowered = stream.toLowerCase();
  if (lowered !== "upstream" && lowered !== "downstream") throw ErrInvalidStream;
  if (name === "") name = `${typeName}_${stream}`;
  if (!isToxicType(typeName)) throw ErrInvalidToxicType;
  checkName(name, "toxic");
  return {
    def: { name, type: typeName, stream, direction: lowered, toxicity, attributes: {} },
    rawAttributes: field(body, "attributes"),
  };
}

/** Fills `attributes` from defaults and the request (unknown or bad values are a 400). */
export function applyAttributes(
  type: ToxicType,
  base: Record<string, number> | undefined,
  raw: unknown,
): Record<string, number> {
  const specs = TOXIC_ATTRIBUTES[type];
  const result: Record<string, number> = {};
  for (const [key, spec] of Object.entries(specs)) result[key] = base?.[key] ?? spec.default;
  if (raw !== undefined) {
    if (!isObject(raw)) {
      throw ApiError.join(ErrBadRequestBody, `attributes must be an object, got ${jsonKind(raw)}`);
    }
    for (const [key, value] of Object.entries(raw as JsonObject)) {
      const name = Object.keys(specs).find((k) => k.toLowerCase() === key.toLowerCase());
      if (name === undefined) {
        const valid = Object.keys(specs);
        throw ApiError.join(
          ErrBadRequestBody,
          `unknown attribute ${JSON.stringify(key)} for a ${type} toxic (valid: ${
            valid.length > 0 ? valid.join(", ") : "none"
          })`,
        );
      }
      if (value === null) continue;
      const spec = specs[name]!;
      const max = spec.unit === "ms" || spec.unit === "µs" ? MAX_TIMER : Number.MAX_SAFE_INTEGER;
      if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > max) {
        throw ApiError.join(
          ErrBadRequestBody,
          `attribute ${name} of a ${type} toxic must be a whole number of ${spec.unit} from 0 to ${max}, got ${JSON.stringify(value)}`,
        );
      }
      result[name] = value;
    }
  }
  if (type === "slicer") {
    const average = result.average_size ?? 0;
    const variation = result.size_variation ?? 0;
    // Toxiproxy slices correctly up to size_variation = average_size; beyond, it cuts at negative
    // offsets and panics, and average_size 0 recurses until its stack overflows.
    if (average < 1 || variation > average) {
      throw ApiError.join(
        ErrBadRequestBody,
        `a slicer toxic needs average_size ≥ 1 and size_variation ≤ average_size, got average_size ${average}, size_variation ${variation}`,
      );
    }
  }
  return result;
}

export function parseToxicity(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number") throw unmarshalError(value, "ToxicWrapper.toxicity", "float32");
  if (!(value >= 0 && value <= 1)) {
    throw ApiError.join(
      ErrBadRequestBody,
      `toxicity must be a number from 0 to 1, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** UpdateToxicJson: only `attributes` (merged) and `toxicity` are read from the body. */
export function parseToxicUpdate(
  def: ToxicDef,
  body: unknown,
): { attributes: Record<string, number>; toxicity: number } {
  if (!isObject(body)) {
    throw ApiError.join(
      ErrBadRequestBody,
      `json: cannot unmarshal ${jsonKind(body)} into Go value of type struct { Attributes interface {} "json:\\"attributes\\""; Toxicity float32 "json:\\"toxicity\\"" }`,
    );
  }
  const toxicity = parseToxicity(field(body, "toxicity")) ?? def.toxicity;
  const attributes = applyAttributes(def.type, def.attributes, field(body, "attributes"));
  return { attributes, toxicity };
}
