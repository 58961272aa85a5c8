import { messageOf } from "../model/message.js";
/**
 * API errors with the exact messages and status codes Toxiproxy 2.x answers, so clients that match on
 * them (toxiproxy-node-client, the Go client, curl scripts) behave the same against firedrill.
 */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }

  /** Toxiproxy's `joinError`: "<wrapper>: <detail>" with the wrapper's status. */
  static join(wrapper: ApiError, detail: string): ApiError {
    return new ApiError(`${wrapper.message}: ${detail}`, wrapper.status);
  }
}

export const ErrBadRequestBody = new ApiError("bad request body", 400);
export const ErrMissingField = new ApiError("missing required field", 400);
export const ErrProxyNotFound = new ApiError("proxy not found", 404);
export const ErrProxyAlreadyExists = new ApiError("proxy already exists", 409);
export const ErrInvalidStream = new ApiError(
  "stream was invalid, can be either upstream or downstream",
  400,
);
export const ErrInvalidToxicType = new ApiError("invalid toxic type", 400);
export const ErrToxicAlreadyExists = new ApiError("toxic already exists", 409);
export const ErrToxicNotFound = new ApiError("toxic not found", 404);

/** Errors Toxiproxy reports without a status of their own (listen failures) become 500s. */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(messageOf(error), 500);
}
