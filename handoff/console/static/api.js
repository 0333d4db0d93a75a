// The console API client. The page assumes nothing about the server but this base path:
// every call goes to API_BASE + path, with the session cookie (HttpOnly, set by the server)
// and, on every state-changing request, the X-CSRF-Token header holding the token from the
// latest login step or GET /session answer.

import { noteServerDate } from "./format.js";

export const API_BASE = "/console/api";
const CSRF_HEADER = "X-CSRF-Token";
const SAFE_METHODS = new Set(["GET", "HEAD"]);

let csrfToken = null;
let sessionEndedHandler = null;

export function setCsrfToken(token) {
  csrfToken = typeof token === "string" && token ? token : null;
}

/** Called with the ApiError when any call (but the login steps) answers 401. */
export function onSessionEnded(handler) {
  sessionEndedHandler = handler;
}

/**
 * A refused or failed call. `status` is 0 when the server could not be reached.
 * `reason` is the machine-readable refusal ({"detail": {"reason"}}) or, when the server gave
 * a plain string detail (the gateway's "outside_24h_window", say), that string.
 * `sessionEnded` is true once the page has gone back to the login screen because of it, so
 * callers know not to show anything else.
 */
export class ApiError extends Error {
  constructor({ status, reason = null, message = "", retryAfterSeconds = null, detail = null }) {
    super(message || reason || `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.reason = reason;
    this.serverMessage = message;
    this.retryAfterSeconds = retryAfterSeconds;
    this.detail = detail;
    this.sessionEnded = false;
  }
}

/**
 * Call the API. Options:
 *   method, body (sent as JSON);
 *   loginStep: true for the login screens' own calls, whose 401s (wrong password, wrong code)
 *     are answers to show, not a session that ended.
 * Resolves with the parsed JSON (null for 204 or no JSON); rejects with ApiError.
 */
export async function api(path, { method = "GET", body, loginStep = false, csrfRetried = false } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (!SAFE_METHODS.has(method) && csrfToken) headers[CSRF_HEADER] = csrfToken;
  let response;
  try {
    response = await fetch(API_BASE + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
      redirect: "error",
    });
  } catch (cause) {
    throw new ApiError({ status: 0, reason: "network", message: String(cause) });
  }
  noteServerDate(response.headers.get("Date"));
  if (response.ok) {
    const data = await jsonOf(response);
    // Every login step and GET /session hands a new token: the session (and its cookie)
    // changes at each step, and the old token is worth nothing after it.
    if (data && typeof data === "object" && typeof data.csrf_token === "string") {
      setCsrfToken(data.csrf_token);
    }
    return data;
  }
  const error = await errorOf(response);
  if (
    error.status === 403 &&
    error.reason === "csrf_failed" &&
    !csrfRetried &&
    !SAFE_METHODS.has(method) &&
    !loginStep
  ) {
    // The cookie is shared by every tab: another tab that logged in again changed the session,
    // and this tab's token with it. Read the current token once and try again.
    await api("/session");
    return api(path, { method, body, loginStep, csrfRetried: true });
  }
  if (error.status === 401 && !loginStep && sessionEndedHandler) {
    error.sessionEnded = true;
    sessionEndedHandler(error);
  }
  throw error;
}

async function jsonOf(response) {
  if (response.status === 204) return null;
  const type = response.headers.get("Content-Type") || "";
  if (!type.includes("json")) return null;
  try {
    return await response.json();
  } catch {
    return null;
  }
}

async function errorOf(response) {
  const data = await jsonOf(response);
  const detail = data && typeof data === "object" ? data.detail : null;
  let reason = null;
  let message = "";
  if (detail && typeof detail === "object" && !Array.isArray(detail)) {
    reason = typeof detail.reason === "string" ? detail.reason : null;
    message = typeof detail.message === "string" ? detail.message : "";
  } else if (typeof detail === "string") {
    // Plain-string details (FastAPI's HTTPException, the gateway's refusals) read as reasons
    // when they look like one ("outside_24h_window"), as messages otherwise.
    if (/^[a-z0-9_.-]+$/.test(detail)) reason = detail;
    message = detail;
  } else if (Array.isArray(detail)) {
    // 422 validation errors: [{"loc", "msg", "type"}]
    reason = "validation";
    message = detail.map((item) => (item && item.msg) || "").filter(Boolean).join("; ");
  }
  return new ApiError({
    status: response.status,
    reason,
    message,
    retryAfterSeconds: retryAfterOf(response.headers.get("Retry-After")),
    detail,
  });
}

/** Retry-After as seconds: either a number of seconds or an HTTP date. */
function retryAfterOf(header) {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
