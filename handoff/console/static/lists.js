// The queue (waiting handoffs the agent may take) and the desk (the agent's own open ones).
// Both lists are rebuilt from the API's answer on every refetch; focus is put back on the same
// control of the same handoff so that a live update never throws a keyboard user out.

import { $, el, fromTemplate } from "./dom.js";
import { assignedClock, slaClock, tickClocks, waitingClock } from "./format.js";
import { label, t } from "./i18n.js";

/** A token safe for a class name (priorities come from the server). */
export function token(value) {
  return typeof value === "string" && /^[a-z_]{1,20}$/.test(value) ? value : "unknown";
}

/** Priority as colour AND word: the colour is never the only signal. */
export function priorityBadge(priority) {
  return el("span", {
    className: `priority priority--${token(priority)}`,
    text: label("priority", priority),
  });
}

/** Reasons as small tags, each in words. */
export function reasonTags(reasons) {
  const list = el("ul", { className: "tags", attrs: { "aria-label": t("handoff.reasons") } });
  for (const reason of Array.isArray(reasons) ? reasons : []) {
    list.append(el("li", { className: "tag", text: label("reason", reason) }));
  }
  return list;
}

/** "Técnico · WhatsApp · Português" */
export function metaText(handoff) {
  return [
    label("skill", handoff.skill),
    label("channel", handoff.channel),
    label("language", handoff.language),
  ]
    .filter(Boolean)
    .join(" · ");
}

/**
 * Rebuild `list` from `items`.
 *   kind: "queue" or "desk";
 *   fetchedAt: when the answer arrived (server clock), for the waiting clocks;
 *   openId: the handoff open in the conversation view, marked as current;
 *   unread: ids with member messages the agent has not opened yet (desk);
 *   onOpen(id), onClaim(id).
 */
export function renderList(list, items, { kind, fetchedAt, openId, unread, onOpen, onClaim }) {
  const refocus = focusedControl(list);
  const rows = [];
  for (const handoff of items) {
    if (!handoff || handoff.id === undefined || handoff.id === null) continue;
    const row = fromTemplate("tpl-handoff-item");
    const id = String(handoff.id);
    row.setAttribute("data-testid", kind === "queue" ? "queue-item" : "desk-item");
    row.dataset.handoffId = id;
    row.dataset.priority = token(handoff.priority);
    if (openId !== null && String(openId) === id) {
      row.classList.add("is-open");
      row.setAttribute("aria-current", "true");
    }
    $(".js-priority", row).replaceWith(priorityBadge(handoff.priority));
    $(".js-protocol", row).textContent = handoff.protocol || `#${id}`;
    $(".js-meta", row).textContent = metaText(handoff);
    $(".js-reasons", row).replaceWith(reasonTags(handoff.reasons));
    const clocks = $(".js-clocks", row);
    clocks.append(waitingClock(handoff.waiting_seconds, fetchedAt));
    if (kind === "desk") clocks.append(assignedClock(handoff.assigned_at));
    clocks.append(slaClock(handoff.sla_due_at));
    const open = $(".js-open", row);
    open.addEventListener("click", () => onOpen(handoff.id));
    const claim = $(".js-claim", row);
    if (kind === "queue") {
      // "Pegar" alone says nothing when a screen reader lists the page's buttons.
      $(".js-claim-protocol", row).textContent = ` ${handoff.protocol || `#${id}`}`;
      claim.addEventListener("click", () => onClaim(handoff.id, claim));
    } else {
      claim.remove();
    }
    const badge = $(".js-unread", row);
    badge.hidden = !(unread && unread.has(id));
    rows.push(row);
  }
  if (!rows.length) {
    rows.push(el("li", { className: "empty", text: t(kind === "queue" ? "queue.empty" : "desk.empty") }));
  }
  list.replaceChildren(...rows);
  tickClocks(list);
  if (refocus) {
    const row = list.querySelector(`[data-handoff-id="${CSS.escape(refocus.id)}"]`);
    const control = row && row.querySelector(refocus.selector);
    if (control) control.focus();
    else list.closest("section")?.querySelector("h2")?.focus();
  }
}

function focusedControl(list) {
  const active = document.activeElement;
  if (!active || !list.contains(active)) return null;
  const row = active.closest("[data-handoff-id]");
  if (!row) return null;
  const selector = active.classList.contains("js-claim") ? ".js-claim" : ".js-open";
  return { id: row.dataset.handoffId, selector };
}
