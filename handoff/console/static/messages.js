// Kind, specific sentences for the API's refusals. The server's reasons are machine-readable
// ({"detail": {"reason", "message"}}); the sentences live in the dictionary (i18n.js), so the
// page never shows the server's English to an agent when it knows better words.

import { has, t } from "./i18n.js";

/** "about 5 minutes", from Retry-After seconds. */
export function waitText(seconds) {
  if (!seconds || seconds <= 0) return t("wait.shortly");
  if (seconds < 60) return t("wait.seconds", { n: seconds });
  const minutes = Math.ceil(seconds / 60);
  return t(minutes === 1 ? "wait.minute" : "wait.minutes", { n: minutes });
}

/**
 * What to tell the agent about a failed call. `context` ("claim", "reply", "transfer"...)
 * picks more specific sentences when the dictionary has them: `<context>.reason.<reason>`,
 * then `reason.<reason>`, then `<context>.status.<status>`, then `status.<status>`.
 */
export function errorText(error, context = "") {
  if (!error || typeof error.status !== "number") return t("error.generic");
  if (error.status === 0) return t("error.network");
  if (error.status === 429) return t("reason.too_many_attempts", { wait: waitText(error.retryAfterSeconds) });
  const reason = error.reason;
  if (reason) {
    if (context && has(`${context}.reason.${reason}`)) return t(`${context}.reason.${reason}`);
    if (has(`reason.${reason}`)) return t(`reason.${reason}`);
  }
  let text = t("error.generic");
  if (context && has(`${context}.status.${error.status}`)) text = t(`${context}.status.${error.status}`);
  else if (has(`status.${error.status}`)) text = t(`status.${error.status}`);
  else if (error.status >= 500) text = t("error.server");
  // The server's own words, as a clue for support, when no sentence here knew the reason.
  if (error.serverMessage && error.status < 500) text += ` (${error.serverMessage})`;
  return text;
}

export function loginErrorText(error) {
  return errorText(error, "login");
}
