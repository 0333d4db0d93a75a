// Times, durations and the ticking clocks (waiting time, time with the agent, SLA).
//
// Clocks are plain elements carrying data-clock="waiting"|"assigned"|"sla" and the moment
// they count from or to (data-since / data-due, epoch milliseconds on the server's clock);
// tickClocks() rewrites their text once a second without re-rendering anything else, so
// keyboard focus and screen-reader position are left alone. They are not live regions:
// a sentence read out every second would drown everything else.

import { locale, t } from "./i18n.js";

// How close to its SLA due time a handoff is shown as urgent. Red's first-response target is
// 5 minutes (handoff/sla/sla.yml), so a red handoff is urgent nearly from the start, which is
// what red means.
export const SLA_NEAR_SECONDS = 180;

let serverOffsetMs = 0;

/**
 * Remember how far this computer's clock is from the server's (from a response's Date header).
 * The header has one-second resolution, so small differences are ignored; a browser whose
 * clock is minutes off would otherwise show SLA clocks minutes wrong.
 */
export function noteServerDate(header) {
  if (!header) return;
  const server = Date.parse(header);
  if (Number.isNaN(server)) return;
  const offset = server - Date.now();
  serverOffsetMs = Math.abs(offset) > 5000 ? offset : 0;
}

/** Now, on the server's clock, in epoch milliseconds. */
export function serverNow() {
  return Date.now() + serverOffsetMs;
}

/** An ISO-8601 moment as epoch milliseconds, or null. */
export function parseMoment(iso) {
  if (typeof iso !== "string" || !iso) return null;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? null : at;
}

/** Seconds as m:ss, or h:mm:ss from an hour on. */
export function clockText(seconds) {
  const total = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = String(total % 60).padStart(2, "0");
  if (hours > 0) return `${hours}:${String(minutes).padStart(2, "0")}:${secs}`;
  return `${minutes}:${secs}`;
}

/** Seconds as an ISO-8601 duration, for <time datetime>. */
function isoDuration(seconds) {
  const total = Math.max(0, Math.floor(seconds));
  return `PT${Math.floor(total / 3600)}H${Math.floor((total % 3600) / 60)}M${total % 60}S`;
}

/** A moment for people: the time alone when it is today, the date and time otherwise. */
export function momentText(iso) {
  const at = parseMoment(iso);
  if (at === null) return "";
  const date = new Date(at);
  const today = new Date(serverNow());
  const sameDay = date.toDateString() === today.toDateString();
  const options = sameDay
    ? { hour: "2-digit", minute: "2-digit" }
    : { day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit" };
  return new Intl.DateTimeFormat(locale(), options).format(date);
}

/** The SLA state of a due moment: "none", "ok", "near" or "breached". */
export function slaState(dueMs, now = serverNow()) {
  if (dueMs === null || dueMs === undefined || Number.isNaN(dueMs)) return "none";
  const left = (dueMs - now) / 1000;
  if (left <= 0) return "breached";
  if (left <= SLA_NEAR_SECONDS) return "near";
  return "ok";
}

/** Update every clock under `root`. */
export function tickClocks(root = document) {
  const now = serverNow();
  for (const node of root.querySelectorAll("[data-clock]")) {
    const kind = node.dataset.clock;
    if (kind === "sla") {
      const due = node.dataset.due ? Number(node.dataset.due) : null;
      const state = slaState(due, now);
      node.dataset.sla = state;
      const item = node.closest("[data-sla-owner]");
      if (item) item.dataset.sla = state;
      if (state === "none") {
        node.textContent = t("sla.none");
      } else if (state === "breached") {
        node.textContent = t("sla.breached", { time: clockText((now - due) / 1000) });
      } else {
        node.textContent = t(state === "near" ? "sla.near" : "sla.ok", {
          time: clockText((due - now) / 1000),
        });
      }
      continue;
    }
    const since = Number(node.dataset.since);
    if (!Number.isFinite(since)) {
      node.textContent = "";
      continue;
    }
    const seconds = (now - since) / 1000;
    node.textContent = t(kind === "assigned" ? "clock.assigned" : "clock.waiting", {
      time: clockText(seconds),
    });
    if (node.tagName === "TIME") node.setAttribute("datetime", isoDuration(seconds));
  }
}

/** A waiting clock: waiting_seconds as the server counted them when the answer left it. */
export function waitingClock(waitingSeconds, fetchedAt) {
  const node = document.createElement("time");
  node.className = "clock";
  node.dataset.clock = "waiting";
  if (typeof waitingSeconds === "number") node.dataset.since = String(fetchedAt - waitingSeconds * 1000);
  return node;
}

/** How long the agent has held it (desk), from assigned_at. */
export function assignedClock(assignedAt) {
  const node = document.createElement("time");
  node.className = "clock";
  node.dataset.clock = "assigned";
  const at = parseMoment(assignedAt);
  if (at !== null) node.dataset.since = String(at);
  return node;
}

/** The SLA clock: time left until sla_due_at, or since it was missed. */
export function slaClock(slaDueAt) {
  const node = document.createElement("span");
  node.className = "sla";
  node.dataset.clock = "sla";
  const due = parseMoment(slaDueAt);
  if (due !== null) node.dataset.due = String(due);
  return node;
}
