// The conversation view: one handoff's header, context summary, transcript, private notes,
// reply box (with canned responses and the WhatsApp 24-hour window), transfer and resolve.
//
// The view is built once per opened handoff from <template id="tpl-conversation"> and then
// updated in place on each refetch (websocket events), so the reply being typed, its canned
// variables and keyboard focus survive live updates.

import { api } from "./api.js";
import { $, announce, busy, el, focus, fromTemplate, setText } from "./dom.js";
import { momentText, slaClock, tickClocks } from "./format.js";
import { has, label, language as uiLanguage, locale, t } from "./i18n.js";
import { metaText, priorityBadge, reasonTags, token } from "./lists.js";
import { errorText } from "./messages.js";

// The WhatsApp template offered when a reply falls outside the 24-hour window
// (channels/whatsapp/templates.yml: "we have an answer for you, reply to continue").
export const WINDOW_TEMPLATE = "reply_waiting";
// Skills a handoff can be transferred to (handoff/agents/models.py Skill).
export const SKILLS = ["front_line", "technical", "clinical", "collections", "supervisor"];
const REPLY_MAX = 4096;
const ANNOUNCED_TEXT_MAX = 140;
const AUTHORS = new Set(["member", "bot", "agent", "system"]);

const cannedByLanguage = new Map();

/**
 * `app` gives: agent() (from GET /session), isSupervisor(), isOnDesk(id), claim(id),
 * refreshLists(), opened(id | null) (to mark the lists), focusQueue().
 */
export function createConversation({ pane, app }) {
  let view = null;
  let openSeq = 0;
  let refreshing = null;
  let refreshAgain = false;
  // Unsent replies per handoff, so that looking at another conversation loses nothing.
  const drafts = new Map();

  const resolveDialog = document.getElementById("resolve-dialog");
  const transferDialog = document.getElementById("transfer-dialog");
  wireResolveDialog();
  wireTransferDialog();

  function currentId() {
    return view ? view.id : null;
  }

  /** Open handoff `id` (replacing whatever was open). */
  async function open(id, { focusHeading = true } = {}) {
    saveDraft();
    const seq = ++openSeq;
    view = null;
    pane.replaceChildren(el("p", { className: "pane-status", attrs: { role: "status" }, text: t("conversation.loading") }));
    app.opened(id);
    let data;
    try {
      data = await api(`/handoffs/${encodeURIComponent(id)}`);
    } catch (error) {
      if (seq !== openSeq || error.sessionEnded) return;
      showPaneProblem(errorText(error, "open"));
      app.opened(null);
      return;
    }
    if (seq !== openSeq) return;
    const node = fromTemplate("tpl-conversation");
    view = {
      id: data && data.id !== undefined ? data.id : id,
      data: data || {},
      node,
      seen: new Set(),
      pending: [],
      cannedItems: [],
      canned: null,
      firstRender: true,
    };
    wire(view);
    pane.replaceChildren(node);
    render(view);
    const draft = drafts.get(String(view.id));
    if (draft) $(".js-reply", node).value = draft;
    loadCanned(view);
    if (focusHeading) focus($(".js-title", node));
  }

  /** Fetch the open handoff again (a websocket event said it changed). Coalesces bursts. */
  async function refresh() {
    if (!view) return;
    if (refreshing) {
      refreshAgain = true;
      return refreshing;
    }
    const target = view;
    refreshing = (async () => {
      try {
        const data = await api(`/handoffs/${encodeURIComponent(target.id)}`);
        if (view !== target) return;
        target.data = data || {};
        setText($(".js-view-status", target.node), "");
        render(target);
      } catch (error) {
        if (view !== target || error.sessionEnded) return;
        if (error.status === 404 || error.status === 403) {
          // Resolved or transferred elsewhere by someone else, and no longer ours to see.
          drafts.delete(String(target.id));
          view = null;
          showPaneProblem(t(error.status === 404 ? "conversation.gone" : "conversation.noLongerYours"));
          app.opened(null);
          return;
        }
        setText($(".js-view-status", target.node), errorText(error, "open"));
      }
    })();
    try {
      await refreshing;
    } finally {
      refreshing = null;
    }
    if (refreshAgain) {
      refreshAgain = false;
      await refresh();
    }
  }

  /** Close the view (back to the placeholder). */
  function close({ keepDraft = true } = {}) {
    if (keepDraft) saveDraft();
    else if (view) drafts.delete(String(view.id));
    openSeq += 1;
    view = null;
    pane.replaceChildren(fromTemplate("tpl-placeholder"));
    app.opened(null);
  }

  /** Forget everything (logout, session ended): member data must not stay in the page. */
  function reset() {
    drafts.clear();
    cannedByLanguage.clear();
    if (resolveDialog.open) resolveDialog.close();
    if (transferDialog.open) transferDialog.close();
    openSeq += 1;
    view = null;
    pane.replaceChildren(fromTemplate("tpl-placeholder"));
  }

  /** Language switched: redraw the words. */
  function rerender() {
    if (!view) {
      pane.replaceChildren(fromTemplate("tpl-placeholder"));
      return;
    }
    const draft = $(".js-reply", view.node).value;
    saveDraft();
    const old = view;
    const node = fromTemplate("tpl-conversation");
    view = { ...old, node, canned: null, firstRender: true, windowNotice: null };
    wire(view);
    pane.replaceChildren(node);
    render(view);
    $(".js-reply", node).value = draft;
    fillCannedSelect(view);
  }

  function saveDraft() {
    if (!view) return;
    const text = $(".js-reply", view.node).value;
    if (text.trim()) drafts.set(String(view.id), text);
    else drafts.delete(String(view.id));
  }

  function showPaneProblem(text) {
    pane.replaceChildren(
      el("div", { className: "pane-problem" }, [
        el("p", { attrs: { role: "alert" }, text }),
        backButton(),
      ]),
    );
  }

  function backButton() {
    const button = el("button", { className: "button", attrs: { type: "button" }, text: t("conversation.backToQueue") });
    button.addEventListener("click", () => {
      close();
      app.focusQueue();
    });
    return button;
  }

  // --- rendering -------------------------------------------------------------------------

  function isMine(data) {
    const me = app.agent();
    if (data.status === "resolved") return false;
    if (data.assigned_agent_id !== undefined && data.assigned_agent_id !== null && me) {
      return Number(data.assigned_agent_id) === Number(me.id);
    }
    if (data.status === "waiting") return false;
    return app.isOnDesk(data.id !== undefined ? data.id : view && view.id);
  }

  function render(current) {
    const { node, data } = current;
    const mine = isMine(data);
    const resolved = data.status === "resolved";
    const supervisor = app.isSupervisor();
    node.dataset.handoffId = String(current.id);
    node.dataset.priority = token(data.priority);

    // Header
    $(".js-protocol", node).textContent = data.protocol || `#${current.id}`;
    $(".js-priority", node).replaceChildren(priorityBadge(data.priority));
    $(".js-meta", node).textContent = metaText(data);
    $(".js-status", node).textContent = statusText(data, mine);
    const sla = $(".js-sla", node);
    sla.replaceChildren(slaClock(data.sla_due_at));
    $(".js-reasons", node).replaceChildren(reasonTags(data.reasons));
    tickClocks(node);

    // Actions
    const canClaim = !mine && !resolved && (data.status === "waiting" || !data.assigned_agent_id) && !app.isOnDesk(current.id);
    $(".js-claim", node).hidden = !canClaim;
    $(".js-transfer", node).hidden = resolved || !(mine || supervisor);
    $(".js-resolve", node).hidden = resolved || !(mine || supervisor);
    $(".js-resolved-note", node).hidden = !resolved;

    renderSummary($(".js-summary", node), $(".js-last-turns", node), data.summary);
    renderTranscript(current);
    renderNotes($(".js-notes", node), data.notes);
    renderTimeline($(".js-timeline", node), data.timeline);

    // Notes: for whoever holds it, and supervisors.
    $(".js-note-form", node).hidden = resolved || !(mine || supervisor);

    // Reply: only the agent holding the handoff answers the member.
    const replyForm = $(".js-reply-form", node);
    replyForm.hidden = resolved || !mine;
    const locked = $(".js-reply-locked", node);
    locked.hidden = resolved || mine;
    locked.textContent = t(canClaim ? "reply.locked" : "reply.lockedOther");
    const windowClosed = withinWindow(data) === false && data.channel === "whatsapp";
    // Said up front when the API already knows the window is closed; after a template was sent
    // the notice keeps saying so until the member writes back.
    if (windowClosed && current.windowNotice !== "sent" && current.windowNotice !== "opted_out") {
      showWindowNotice(current, "window");
    } else if (["window", "sent"].includes(current.windowNotice) && withinWindow(data) === true) {
      hideWindowNotice(current); // the member wrote back: free text goes again
    }

    current.firstRender = false;
  }

  function statusText(data, mine) {
    const parts = [];
    if (data.status) parts.push(label("status", data.status));
    if (mine) parts.push(t("conversation.withYou"));
    else if (data.assigned_agent_name) parts.push(t("conversation.withAgent", { name: data.assigned_agent_name }));
    return parts.join(" · ");
  }

  function withinWindow(data) {
    if (typeof data.within_window === "boolean") return data.within_window;
    const conversation = data.transcript && data.transcript.conversation;
    if (conversation && typeof conversation.within_window === "boolean") return conversation.within_window;
    return null;
  }

  function renderSummary(list, turns, summary) {
    list.replaceChildren();
    turns.replaceChildren();
    if (!summary || typeof summary !== "object" || !Object.keys(summary).length) {
      list.append(el("div", {}, [el("dt", { text: t("summary.title") }), el("dd", { text: t("summary.none") })]));
      return;
    }
    const add = (term, value, className) => {
      list.append(el("div", { className: className || "" }, [el("dt", { text: term }), value instanceof Node ? value : el("dd", { text: value })]));
    };
    if ("verified" in summary) {
      const verified = summary.verified === true;
      add(
        t("summary.identity"),
        el("dd", { className: verified ? "verified" : "unverified", text: t(verified ? "summary.verified" : "summary.unverified") }),
      );
    }
    if ("journey" in summary) add(t("summary.journey"), describe(summary.journey));
    if (summary.slots && typeof summary.slots === "object") {
      const entries = Object.entries(summary.slots);
      const dd = el("dd");
      if (entries.length) {
        const inner = el("dl", { className: "slots" });
        for (const [name, value] of entries) {
          inner.append(el("div", {}, [el("dt", { text: label("slot", name) }), el("dd", { text: describe(value) })]));
        }
        dd.append(inner);
      } else {
        dd.textContent = "—";
      }
      add(t("summary.slots"), dd);
    }
    if (summary.signals && typeof summary.signals === "object") {
      const dd = el("dd");
      const signals = el("ul", { className: "plain" });
      for (const [name, value] of Object.entries(summary.signals)) {
        signals.append(el("li", { text: signalText(name, value) }));
      }
      dd.append(signals);
      add(t("summary.signals"), dd);
    }
    const known = new Set(["verified", "journey", "slots", "signals", "last_turns"]);
    for (const [name, value] of Object.entries(summary)) {
      if (!known.has(name)) add(label("summaryField", name), describe(value));
    }
    const lastTurns = Array.isArray(summary.last_turns) ? summary.last_turns : [];
    for (const turn of lastTurns) {
      if (!turn || typeof turn !== "object") continue;
      const from = AUTHORS.has(turn.from) ? turn.from : "system";
      turns.append(
        el("li", { className: `turn turn--${from}` }, [
          el("span", { className: "turn-from", text: `${t(`author.${from}`)}: ` }),
          el("span", { className: "turn-text", text: describe(turn.text) }),
        ]),
      );
    }
    if (!turns.children.length) turns.append(el("li", { className: "empty", text: "—" }));
  }

  function signalText(name, value) {
    const title = label("signal", name);
    if (name === "urgency" && value && typeof value === "object") {
      const reasons = Array.isArray(value.reasons) && value.reasons.length ? ` (${value.reasons.join(", ")})` : "";
      return `${title}: ${label("urgency", value.level)}${reasons}`;
    }
    if (name === "frustration" && value && typeof value === "object" && typeof value.score === "number") {
      const cues = Array.isArray(value.cues) && value.cues.length ? ` (${value.cues.join(", ")})` : "";
      const percent = new Intl.NumberFormat(locale(), { style: "percent" }).format(value.score);
      return `${title}: ${percent}${cues}`;
    }
    return `${title}: ${describe(value)}`;
  }

  function messagesOf(data) {
    const transcript = data.transcript;
    if (Array.isArray(transcript)) return transcript;
    if (transcript && Array.isArray(transcript.messages)) return transcript.messages;
    return null;
  }

  function renderTranscript(current) {
    const { node, data } = current;
    const list = $(".js-transcript", node);
    const messages = messagesOf(data);
    setText($(".js-transcript-status", node), messages === null ? t("transcript.unavailable") : "");
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 48;
    const rows = [];
    const fresh = [];
    for (const [index, message] of (messages || []).entries()) {
      if (!message || typeof message !== "object") continue;
      const key = message.id !== undefined && message.id !== null ? String(message.id) : `${index}:${message.at}`;
      const author = AUTHORS.has(message.author) ? message.author : "system";
      if (!current.seen.has(key)) {
        current.seen.add(key);
        if (!current.firstRender && author === "member") fresh.push(message);
      }
      rows.push(messageRow(message, author));
    }
    // Replies sent from here that the gateway has not listed yet. One is settled when an agent
    // message with its text shows up, or when the number of agent messages has grown past the
    // count it was sent at (the server's rendering of a canned reply may differ from ours).
    const agentMessages = (messages || []).filter((message) => message && message.author === "agent");
    current.agentCount = agentMessages.length;
    current.pending = current.pending.filter(
      (pending) =>
        agentMessages.length < pending.settledAt &&
        !agentMessages.some((message) => message.text === pending.text),
    );
    for (const pending of current.pending) {
      const row = messageRow({ author: "agent", agent_name: app.agent()?.display_name, text: pending.text, status: "sending" }, "agent");
      row.classList.add("is-pending");
      row.dataset.pending = "true";
      rows.push(row);
    }
    if (!rows.length) rows.push(el("li", { className: "empty", text: t("transcript.empty") }));
    list.replaceChildren(...rows);
    if (current.firstRender || atBottom) list.scrollTop = list.scrollHeight;
    if (fresh.length === 1) {
      announce(t("announce.memberMessage", { text: shorten(describe(fresh[0].text)) }));
    } else if (fresh.length > 1) {
      announce(t("announce.memberMessages", { n: fresh.length }));
    }
  }

  function messageRow(message, author) {
    const who =
      author === "agent"
        ? message.agent_name || t("author.agent")
        : t(`author.${author}`);
    const row = el("li", {
      className: `message message--${author}${message.direction === "out" ? " is-out" : ""}`,
      attrs: { "data-testid": "transcript-message", "data-author": author },
    });
    const head = el("p", { className: "message-head" }, [el("span", { className: "message-author", text: who })]);
    if (message.at) {
      head.append(" ", el("time", { attrs: { datetime: message.at }, text: momentText(message.at) }));
    }
    row.append(head);
    if (message.text !== null && message.text !== undefined && message.text !== "") {
      row.append(el("p", { className: "message-text", text: String(message.text) }));
    }
    const attachments = Array.isArray(message.attachments) ? message.attachments : [];
    if (attachments.length) {
      // Named, not linked: what a member sent is opened through the insurer's own tools.
      const list = el("ul", { className: "attachments" });
      for (const attachment of attachments) list.append(el("li", { text: attachmentText(attachment) }));
      row.append(list);
    }
    if (message.status && (author === "agent" || author === "bot" || message.direction === "out")) {
      row.append(el("p", { className: `message-status status--${token(message.status)}`, text: label("delivery", message.status) }));
    }
    return row;
  }

  function attachmentText(attachment) {
    if (!attachment || typeof attachment !== "object") return t("attachment.generic");
    const kind = attachment.content_type || attachment.mime_type || attachment.type || "";
    const name = attachment.filename || attachment.name || "";
    return t("attachment.described", { what: [name, kind].filter(Boolean).join(" · ") || "?" });
  }

  function renderNotes(list, notes) {
    const rows = [];
    const me = app.agent();
    for (const note of Array.isArray(notes) ? notes : []) {
      if (!note || typeof note !== "object") continue;
      const author =
        note.agent_name ||
        note.author_name ||
        (note.author && typeof note.author === "object" ? note.author.name : note.author) ||
        (me && note.agent_id !== undefined && Number(note.agent_id) === Number(me.id) ? t("common.you") : t("author.agent"));
      const at = note.at || note.created_at;
      rows.push(
        el("li", { className: "note", attrs: { "data-testid": "note" } }, [
          el("p", { className: "note-head" }, [
            el("span", { className: "note-author", text: String(author) }),
            at ? " · " : "",
            at ? el("time", { attrs: { datetime: at }, text: momentText(at) }) : null,
          ]),
          el("p", { className: "note-text", text: describe(note.text) }),
        ]),
      );
    }
    if (!rows.length) rows.push(el("li", { className: "empty", text: t("notes.empty") }));
    list.replaceChildren(...rows);
  }

  function renderTimeline(list, timeline) {
    const rows = [];
    for (const entry of Array.isArray(timeline) ? timeline : []) {
      if (!entry || typeof entry !== "object") continue;
      const name = entry.name || entry.event || "";
      const children = [];
      if (entry.at) children.push(el("time", { attrs: { datetime: entry.at }, text: momentText(entry.at) }), " ");
      children.push(el("span", { className: "timeline-event", text: has(`event.${name}`) ? t(`event.${name}`) : name }));
      const who = entry.actor_name || entry.agent_name;
      if (who) children.push(" · ", el("span", { text: String(who) }));
      if (entry.detail && typeof entry.detail === "object" && Object.keys(entry.detail).length) {
        children.push(el("span", { className: "timeline-detail", text: ` (${describe(entry.detail)})` }));
      }
      rows.push(el("li", {}, children));
    }
    if (!rows.length) rows.push(el("li", { className: "empty", text: "—" }));
    list.replaceChildren(...rows);
  }

  // --- the WhatsApp 24-hour window ---------------------------------------------------------

  function showWindowNotice(current, kind) {
    const notice = $(".js-window-notice", current.node);
    current.windowNotice = kind;
    $(".js-window-text", notice).textContent = t(kind === "opted_out" ? "window.optedOut" : "window.closed");
    $(".js-send-template", notice).hidden = kind === "opted_out";
    notice.hidden = false;
  }

  function hideWindowNotice(current) {
    current.windowNotice = null;
    $(".js-window-notice", current.node).hidden = true;
  }

  // --- wiring ------------------------------------------------------------------------------

  function wire(current) {
    const { node } = current;
    $(".js-close", node).addEventListener("click", () => {
      close();
      app.focusQueue();
    });
    $(".js-claim", node).addEventListener("click", async (event) => {
      const button = event.currentTarget;
      button.disabled = true;
      const claimed = await app.claim(current.id, { openAfter: false });
      button.disabled = false;
      if (claimed && view === current) {
        await refresh();
        focus($(".js-reply", current.node));
      }
    });
    $(".js-transfer", node).addEventListener("click", () => openTransfer());
    $(".js-resolve", node).addEventListener("click", () => openResolve());

    const noteForm = $(".js-note-form", node);
    noteForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const input = $(".js-note-input", noteForm);
      const error = $(".js-note-error", noteForm);
      setText(error, "");
      const text = input.value.trim();
      if (!text) {
        setText(error, t("notes.emptyText"));
        focus(input);
        return;
      }
      const release = busy(noteForm);
      try {
        await api(`/handoffs/${encodeURIComponent(current.id)}/notes`, { method: "POST", body: { text } });
        input.value = "";
        announce(t("notes.saved"));
        await refresh();
      } catch (failure) {
        if (!failure.sessionEnded) setText(error, errorText(failure, "notes"));
      } finally {
        release();
      }
    });

    const replyForm = $(".js-reply-form", node);
    const reply = $(".js-reply", node);
    reply.maxLength = REPLY_MAX;
    replyForm.addEventListener("submit", (event) => {
      event.preventDefault();
      sendReply(current);
    });
    reply.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        sendReply(current);
      }
    });
    $(".js-send-template", node).addEventListener("click", () => sendTemplate(current));
    $(".js-canned", node).addEventListener("change", () => chooseCanned(current));
  }

  // --- replying ----------------------------------------------------------------------------

  async function sendReply(current) {
    const { node } = current;
    const form = $(".js-reply-form", node);
    const reply = $(".js-reply", node);
    const error = $(".js-reply-error", node);
    setText(error, "");
    if (form.getAttribute("aria-busy") === "true") return;
    const text = reply.value.trim();
    if (!text) {
      setText(error, t("reply.empty"));
      focus(reply);
      return;
    }
    let body;
    const canned = current.canned;
    if (canned && /\{\w+\}/.test(reply.value)) {
      const missing = unfilledVariables(reply.value);
      setText(error, t("reply.fillVariables", { names: missing.map((name) => label("variable", name)).join(", ") }));
      const firstMissing = missing.length && $(`[data-variable="${CSS.escape(missing[0])}"]`, node);
      focus(firstMissing || reply);
      return;
    }
    if (canned && reply.value === canned.filled) {
      body = { canned: canned.item.key, variables: { ...canned.values } };
    } else {
      body = { text };
    }
    const release = busy(form);
    try {
      await api(`/handoffs/${encodeURIComponent(current.id)}/reply`, { method: "POST", body });
      current.pending.push({
        text: canned && body.canned ? canned.filled.trim() : text,
        settledAt: (current.agentCount || 0) + current.pending.length + 1,
      });
      reply.value = "";
      drafts.delete(String(current.id));
      resetCanned(current);
      announce(t("reply.sent"));
      release();
      renderTranscript(current);
      focus(reply);
      refresh();
    } catch (failure) {
      release();
      if (failure.sessionEnded) return;
      if (failure.status === 409) {
        const kind = conflictKind(failure, current.data);
        if (kind) {
          // The text stays in the box: it can go once the member writes back.
          showWindowNotice(current, kind);
          focus($(kind === "window" ? ".js-send-template" : ".js-window-text", node));
          return;
        }
        setText(error, errorText(failure, "reply"));
        refresh();
        return;
      }
      setText(error, errorText(failure, "reply"));
      focus(reply);
    }
  }

  /** Why a 409 refused a reply: "opted_out", "window" (24-hour window) or null (other). */
  function conflictKind(failure, data) {
    const reason = String(failure.reason || failure.serverMessage || "").toLowerCase();
    if (reason.includes("opted_out") || reason.includes("opt_out")) return "opted_out";
    if (reason.includes("window") || reason.includes("template")) return "window";
    // The contract names the window as the reason for a 409 on reply; anything saying the
    // handoff moved on (resolved, not yours) is told as such instead.
    if (/resolved|assigned|claimed|not_yours|not_assigned|transferred/.test(reason)) return null;
    return data.channel === "whatsapp" ? "window" : null;
  }

  async function sendTemplate(current) {
    const { node } = current;
    const button = $(".js-send-template", node);
    const error = $(".js-reply-error", node);
    setText(error, "");
    button.disabled = true;
    try {
      await api(`/handoffs/${encodeURIComponent(current.id)}/reply`, {
        method: "POST",
        body: { template: WINDOW_TEMPLATE },
      });
      $(".js-window-text", node).textContent = t("window.templateSent");
      button.hidden = true;
      current.windowNotice = "sent";
      announce(t("window.templateSent"));
      refresh();
    } catch (failure) {
      if (failure.sessionEnded) return;
      if (failure.status === 409 && conflictKind(failure, current.data) === "opted_out") {
        showWindowNotice(current, "opted_out");
      } else {
        setText(error, errorText(failure, "template"));
      }
    } finally {
      button.disabled = false;
    }
  }

  // --- canned responses --------------------------------------------------------------------

  async function loadCanned(current) {
    const lang = current.data.language || uiLanguage();
    let items = cannedByLanguage.get(lang);
    if (!items) {
      try {
        items = normaliseCanned(await api(`/canned?language=${encodeURIComponent(lang)}`));
        cannedByLanguage.set(lang, items);
      } catch (failure) {
        if (failure.sessionEnded || view !== current) return;
        setText($(".js-canned-status", current.node), t("canned.unavailable"));
        items = [];
      }
    }
    if (view !== current) return;
    current.cannedItems = items;
    fillCannedSelect(current);
  }

  function fillCannedSelect(current) {
    const select = $(".js-canned", current.node);
    const options = [el("option", { attrs: { value: "" }, text: t(current.cannedItems.length ? "canned.choose" : "canned.none") })];
    for (const item of current.cannedItems) {
      options.push(el("option", { attrs: { value: item.key }, text: item.title }));
    }
    select.replaceChildren(...options);
    select.disabled = !current.cannedItems.length;
  }

  function chooseCanned(current) {
    const { node } = current;
    const select = $(".js-canned", node);
    const item = current.cannedItems.find((candidate) => candidate.key === select.value);
    const fieldset = $(".js-canned-vars", node);
    const inputs = $(".js-canned-inputs", node);
    const reply = $(".js-reply", node);
    inputs.replaceChildren();
    if (!item) {
      resetCanned(current, { keepSelect: true });
      return;
    }
    const values = {};
    for (const name of item.variables) {
      values[name] = guessVariable(name, current.data);
      const id = `canned-var-${name}`;
      const input = el("input", {
        attrs: { id, type: "text", autocomplete: "off", "data-variable": name, value: values[name] },
      });
      input.value = values[name];
      input.addEventListener("input", () => {
        values[name] = input.value;
        const before = current.canned.filled;
        current.canned.filled = fill(item.text, values);
        // Follow the variables while the agent has not rewritten the text by hand.
        if (reply.value === before) reply.value = current.canned.filled;
      });
      inputs.append(el("div", { className: "field" }, [el("label", { attrs: { for: id }, text: label("variable", name) }), input]));
    }
    current.canned = { item, values, filled: fill(item.text, values) };
    fieldset.hidden = !item.variables.length;
    reply.value = current.canned.filled;
    const firstEmpty = inputs.querySelector("input[data-variable]:placeholder-shown") || Array.from(inputs.querySelectorAll("input")).find((input) => !input.value);
    focus(firstEmpty || reply);
  }

  function resetCanned(current, { keepSelect = false } = {}) {
    current.canned = null;
    if (!keepSelect) $(".js-canned", current.node).value = "";
    $(".js-canned-inputs", current.node).replaceChildren();
    $(".js-canned-vars", current.node).hidden = true;
  }

  /** Values the page already knows for common variables. */
  function guessVariable(name, data) {
    const key = name.toLowerCase();
    const agent = app.agent();
    const slots = (data.summary && typeof data.summary.slots === "object" && data.summary.slots) || {};
    const primitive = (value) => (typeof value === "string" || typeof value === "number" ? String(value) : "");
    if (["protocol", "protocolo"].includes(key)) return data.protocol || "";
    if (["agent", "agent_name", "agente", "atendente"].includes(key)) return (agent && agent.display_name) || "";
    if (["name", "nome", "nombre", "member_name"].includes(key)) {
      return primitive(slots[key]) || primitive(slots.member_name) || primitive(slots.name) || primitive(slots.first_name) || "";
    }
    return primitive(slots[name]);
  }

  // --- resolve -----------------------------------------------------------------------------

  function openResolve() {
    if (!view) return;
    setText($(".js-dialog-error", resolveDialog), "");
    $(".js-resolve-protocol", resolveDialog).textContent = view.data.protocol || `#${view.id}`;
    resolveDialog.showModal();
    focus($("[data-testid=resolve-confirm]", resolveDialog));
  }

  function wireResolveDialog() {
    $(".js-cancel", resolveDialog).addEventListener("click", () => resolveDialog.close());
    $("[data-testid=resolve-confirm]", resolveDialog).addEventListener("click", async (event) => {
      const button = event.currentTarget;
      const target = view;
      if (!target) {
        resolveDialog.close();
        return;
      }
      button.disabled = true;
      try {
        await api(`/handoffs/${encodeURIComponent(target.id)}/resolve`, { method: "POST" });
        resolveDialog.close();
        if (view === target) close({ keepDraft: false });
        announce(t("resolve.done"));
        app.refreshLists();
        app.focusQueue();
      } catch (failure) {
        if (failure.sessionEnded) return;
        if (failure.status === 409 || failure.status === 404) {
          // Already resolved (or moved on) meanwhile: say so, and show the current state.
          setText($(".js-dialog-error", resolveDialog), errorText(failure, "resolve"));
          app.refreshLists();
          refresh();
        } else {
          setText($(".js-dialog-error", resolveDialog), errorText(failure, "resolve"));
        }
      } finally {
        button.disabled = false;
      }
    });
  }

  // --- transfer ----------------------------------------------------------------------------

  function openTransfer() {
    if (!view) return;
    const form = $("form", transferDialog);
    form.reset();
    setText($(".js-dialog-error", transferDialog), "");
    const skill = $(".js-transfer-skill", transferDialog);
    skill.replaceChildren(...SKILLS.map((name) => el("option", { attrs: { value: name }, text: label("skill", name) })));
    if (SKILLS.includes(view.data.skill)) skill.value = view.data.skill;
    // Handing a conversation to a named agent is for supervisors (docs/handoff.md).
    const supervisor = app.isSupervisor();
    $(".js-to-agent-choice", transferDialog).hidden = !supervisor;
    syncTransferTarget();
    transferDialog.showModal();
    focus(skill);
  }

  function syncTransferTarget() {
    const toAgent = $("input[name=target][value=agent]", transferDialog).checked;
    $(".js-transfer-skill", transferDialog).disabled = toAgent;
    $(".js-transfer-agent", transferDialog).disabled = !toAgent;
  }

  function wireTransferDialog() {
    const form = $("form", transferDialog);
    for (const radio of form.querySelectorAll("input[name=target]")) radio.addEventListener("change", syncTransferTarget);
    $(".js-cancel", transferDialog).addEventListener("click", () => transferDialog.close());
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const target = view;
      const error = $(".js-dialog-error", transferDialog);
      setText(error, "");
      if (!target) {
        transferDialog.close();
        return;
      }
      const toAgent = $("input[name=target][value=agent]", form).checked && app.isSupervisor();
      let body;
      if (toAgent) {
        const agentId = Number.parseInt($(".js-transfer-agent", form).value, 10);
        if (!Number.isInteger(agentId) || agentId <= 0) {
          setText(error, t("transfer.agentMissing"));
          focus($(".js-transfer-agent", form));
          return;
        }
        body = { agent_id: agentId };
      } else {
        body = { skill: $(".js-transfer-skill", form).value };
      }
      const release = busy(form);
      try {
        await api(`/handoffs/${encodeURIComponent(target.id)}/transfer`, { method: "POST", body });
        release();
        transferDialog.close();
        announce(t("transfer.done"));
        app.refreshLists();
        if (view === target) {
          if (app.isSupervisor()) refresh();
          else {
            close({ keepDraft: false });
            app.focusQueue();
          }
        }
      } catch (failure) {
        release();
        if (!failure.sessionEnded) setText(error, errorText(failure, "transfer"));
      }
    });
  }

  return { open, refresh, close, reset, rerender, currentId };
}

// --- helpers -------------------------------------------------------------------------------

/** Any value from the summary, in words (never markup). */
function describe(value) {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return t(value ? "common.yes" : "common.no");
  if (typeof value === "number") return new Intl.NumberFormat(locale()).format(value);
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.length ? value.map(describe).join(", ") : "—";
  if (typeof value === "object") {
    return Object.entries(value)
      .map(([key, inner]) => `${key}: ${describe(inner)}`)
      .join("; ");
  }
  return String(value);
}

function shorten(text) {
  return text.length > ANNOUNCED_TEXT_MAX ? `${text.slice(0, ANNOUNCED_TEXT_MAX - 1)}…` : text;
}

/** "{name}" placeholders filled where a value is given, left as they are otherwise. */
function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (whole, name) => (values[name] ? values[name] : whole));
}

function unfilledVariables(text) {
  return Array.from(new Set(Array.from(text.matchAll(/\{(\w+)\}/g), (match) => match[1])));
}

/** The canned responses, whatever reasonable shape the API gives them in. */
function normaliseCanned(answer) {
  let items = null;
  if (Array.isArray(answer)) items = answer;
  else if (answer && typeof answer === "object") {
    items = answer.items || answer.canned || answer.responses;
    if (!Array.isArray(items)) {
      items = Object.entries(answer).map(([key, value]) =>
        typeof value === "string" ? { key, text: value } : { key, ...(value || {}) },
      );
    }
  }
  const normalised = [];
  for (const item of items || []) {
    if (!item || typeof item !== "object") continue;
    const key = item.key ?? item.id ?? item.name;
    const text = item.text ?? item.body ?? "";
    if (key === undefined || key === null || typeof text !== "string" || !text) continue;
    const variables = new Set();
    const declared = item.variables;
    if (Array.isArray(declared)) {
      for (const variable of declared) {
        const name = typeof variable === "string" ? variable : variable && variable.name;
        if (typeof name === "string" && /^\w+$/.test(name)) variables.add(name);
      }
    } else if (declared && typeof declared === "object") {
      for (const name of Object.keys(declared)) if (/^\w+$/.test(name)) variables.add(name);
    }
    for (const match of text.matchAll(/\{(\w+)\}/g)) variables.add(match[1]);
    normalised.push({
      key: String(key),
      title: String(item.title ?? item.label ?? item.name ?? key),
      text,
      variables: Array.from(variables),
    });
  }
  return normalised;
}

