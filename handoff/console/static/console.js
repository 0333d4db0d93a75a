/*
 * Acolhe — the agent console page (entry point; served as /console/static/console.js).
 *
 * Plain ES modules, no build step, no framework, nothing from outside the console's origin.
 * The only server address assumed is the API base path, "/console/api" (api.js), and the
 * websocket, "/console/ws" on the same origin (live.js).
 *
 * data-testid hooks for browser tests (stable; only one of each screen is in the page at once):
 *   Login:        login-form, login-input, password-input, submit, login-notice
 *   Second step:  totp-form, totp-input, submit, other-account; enrolment adds enrol-qr, enrol-secret
 *   Top bar:      language-select, presence-select, agent-name, logout-button, connection-status
 *   Lists:        queue, queue-item (data-handoff-id, data-priority=red|yellow|green),
 *                 claim-button (inside a queue-item), desk, desk-item (same data-* as queue-item),
 *                 notice (page-wide error or information)
 *   Conversation: conversation (data-handoff-id, data-priority), conversation-claim,
 *                 transfer-button, resolve-button, close-conversation, summary,
 *                 transcript, transcript-message (data-author=member|bot|agent|system;
 *                 data-pending="true" on a reply the gateway has not listed yet),
 *                 notes, note, note-input, note-save,
 *                 canned-select, reply-input, reply-send, reply-error,
 *                 window-notice, send-template
 *   Dialogs:      resolve-dialog, resolve-confirm, resolve-cancel,
 *                 transfer-dialog, transfer-skill, transfer-agent, transfer-confirm
 *   Alerts:       alert (one per SLA breach, data-handoff-id), inside the assertive live region
 */

import { api, onSessionEnded } from "./api.js";
import { createAuth } from "./auth.js";
import { $, announce, el, focus, setText } from "./dom.js";
import { serverNow, tickClocks } from "./format.js";
import { applyTranslations, label, language, setLanguage, t } from "./i18n.js";
import { createConversation } from "./conversation.js";
import { renderList } from "./lists.js";
import { createLive } from "./live.js";
import { errorText } from "./messages.js";

// While the websocket is down, the lists (and the open conversation) are fetched this often.
const POLL_WHILE_OFFLINE_MS = 30000;
// Events come in bursts (one claim changes the queue and a desk); refetch once per burst.
const REFETCH_DEBOUNCE_MS = 200;
const MAX_ALERTS = 5;
const SUPERVISING_ROLES = new Set(["supervisor", "admin"]);
const BASE_TITLE = document.title;

const state = {
  agent: null,
  queue: [],
  desk: [],
  queueFetchedAt: 0,
  deskFetchedAt: 0,
  openId: null,
  unread: new Set(),
  live: "off",
  listsTimer: null,
  ticker: null,
  poller: null,
};

const ui = {
  authRoot: document.getElementById("auth-root"),
  workspace: document.getElementById("workspace"),
  agentTools: document.getElementById("agent-tools"),
  agentName: document.getElementById("agent-name"),
  presence: document.getElementById("presence-select"),
  logout: document.getElementById("logout-button"),
  language: document.getElementById("language-select"),
  connection: document.getElementById("connection-status"),
  alerts: document.getElementById("alerts"),
  notice: document.getElementById("notice"),
  noticeText: document.getElementById("notice-text"),
  queue: document.getElementById("queue"),
  queueCount: document.getElementById("queue-count"),
  queueStatus: document.getElementById("queue-status"),
  queueHeading: document.getElementById("queue-heading"),
  desk: document.getElementById("desk"),
  deskCount: document.getElementById("desk-count"),
  deskStatus: document.getElementById("desk-status"),
  pane: document.getElementById("conversation-pane"),
};

const auth = createAuth({ root: ui.authRoot, onLoggedIn: () => checkSession() });

const conversation = createConversation({
  pane: ui.pane,
  app: {
    agent: () => state.agent,
    isSupervisor: () => Boolean(state.agent && SUPERVISING_ROLES.has(state.agent.role)),
    isOnDesk: (id) => state.desk.some((handoff) => String(handoff.id) === String(id)),
    claim: (id, options) => claim(id, options),
    refreshLists: () => scheduleLists(0),
    opened: (id) => markOpen(id),
    focusQueue: () => focus(ui.queueHeading),
  },
});

const live = createLive({
  onEvent: handleEvent,
  onConnected: () => {
    // Whatever happened while the socket was down is fetched again.
    scheduleLists(0);
    conversation.refresh();
  },
  onStatus: showConnection,
  beforeReconnect: async () => {
    if (!state.agent) return false;
    await api("/session"); // a 401 here ends the session (onSessionEnded) and stops the socket
    return Boolean(state.agent);
  },
});

// --- start ---------------------------------------------------------------------------------

function boot() {
  ui.language.value = language();
  applyTranslations(document);
  ui.language.addEventListener("change", () => {
    setLanguage(ui.language.value);
    applyTranslations(document);
    if (state.agent) {
      renderLists();
      conversation.rerender();
      showConnection(state.live);
    }
  });
  ui.presence.addEventListener("change", changePresence);
  ui.logout.addEventListener("click", logout);
  $("#notice-close").addEventListener("click", () => setNotice(""));
  onSessionEnded(sessionEnded);
  checkSession();
}

/** Where is this browser in the login? Route to the right screen. */
async function checkSession() {
  let session;
  try {
    session = await api("/session", { loginStep: true });
  } catch (failure) {
    if (failure.status === 401) {
      leaveWorkspace();
      auth.showLogin({ notice: failure.reason === "session_expired" ? t("reason.session_expired") : "" });
    } else {
      leaveWorkspace();
      auth.showLogin({ notice: errorText(failure) });
    }
    return;
  }
  if (session && session.stage === "full" && session.agent) enterWorkspace(session.agent);
  else if (session && session.stage === "totp") auth.showTotp();
  else if (session && session.stage === "enrol") auth.showEnrol();
  else auth.showLogin();
}

/** Any call answered 401: the session ended (expired, logged out elsewhere). */
function sessionEnded(failure) {
  if (!state.agent) return;
  if (failure.reason === "second_factor_required") {
    leaveWorkspace();
    checkSession();
    return;
  }
  const notice = failure.reason === "session_expired" ? t("reason.session_expired") : t("reason.not_logged_in");
  leaveWorkspace();
  auth.showLogin({ notice });
}

function enterWorkspace(agent) {
  state.agent = agent;
  auth.hide();
  ui.workspace.hidden = false;
  ui.agentTools.hidden = false;
  ui.agentName.textContent = agent.display_name || agent.login || "";
  ui.agentName.title = agent.role ? label("role", agent.role) : "";
  // The API gives no presence read; show what it says if it ever does, "unknown" otherwise.
  const known = agent.presence || agent.status || "";
  ui.presence.value = ["online", "away", "offline"].includes(known) ? known : "";
  ui.presence.dataset.current = ui.presence.value;
  conversation.close();
  scheduleLists(0);
  live.start();
  clearInterval(state.ticker);
  state.ticker = setInterval(() => tickClocks(ui.workspace), 1000);
  clearInterval(state.poller);
  state.poller = setInterval(() => {
    if (state.live !== "live") {
      scheduleLists(0);
      conversation.refresh();
    }
  }, POLL_WHILE_OFFLINE_MS);
  focus(ui.queueHeading);
}

/** Back to the login: stop everything and forget every member's data the page held. */
function leaveWorkspace() {
  state.agent = null;
  live.stop();
  clearInterval(state.ticker);
  clearInterval(state.poller);
  clearTimeout(state.listsTimer);
  state.queue = [];
  state.desk = [];
  state.openId = null;
  state.unread.clear();
  conversation.reset();
  ui.queue.replaceChildren();
  ui.desk.replaceChildren();
  ui.alerts.replaceChildren();
  ui.queueCount.textContent = "";
  ui.deskCount.textContent = "";
  setText(ui.queueStatus, "");
  setText(ui.deskStatus, "");
  setNotice("");
  ui.workspace.hidden = true;
  ui.agentTools.hidden = true;
  ui.agentName.textContent = "";
  document.title = BASE_TITLE;
}

async function logout() {
  ui.logout.disabled = true;
  try {
    await api("/logout", { method: "POST", loginStep: true });
  } catch {
    // Logged out or not, the page leaves; the server's idle limit ends a session left behind.
  } finally {
    ui.logout.disabled = false;
  }
  leaveWorkspace();
  auth.showLogin({ notice: t("login.loggedOut") });
}

// --- queue and desk ------------------------------------------------------------------------

function scheduleLists(delay = REFETCH_DEBOUNCE_MS) {
  clearTimeout(state.listsTimer);
  state.listsTimer = setTimeout(refreshLists, delay);
}

async function refreshLists() {
  if (!state.agent) return;
  await Promise.all([refreshQueue(), refreshDesk()]);
}

async function refreshQueue() {
  try {
    const items = await api("/queue");
    state.queue = Array.isArray(items) ? items : [];
    state.queueFetchedAt = serverNow();
    setText(ui.queueStatus, "");
  } catch (failure) {
    if (!failure.sessionEnded && state.agent) setText(ui.queueStatus, t("queue.failed", { why: errorText(failure) }));
    return;
  }
  if (state.agent) renderQueue();
}

async function refreshDesk() {
  try {
    const items = await api("/desk");
    state.desk = Array.isArray(items) ? items : [];
    state.deskFetchedAt = serverNow();
    setText(ui.deskStatus, "");
  } catch (failure) {
    if (!failure.sessionEnded && state.agent) setText(ui.deskStatus, t("desk.failed", { why: errorText(failure) }));
    return;
  }
  // Unread marks only for conversations still on the desk.
  for (const id of Array.from(state.unread)) {
    if (!state.desk.some((handoff) => String(handoff.id) === id)) state.unread.delete(id);
  }
  if (state.agent) renderDesk();
}

function renderLists() {
  renderQueue();
  renderDesk();
}

function renderQueue() {
  renderList(ui.queue, state.queue, {
    kind: "queue",
    fetchedAt: state.queueFetchedAt,
    openId: state.openId,
    onOpen: (id) => conversation.open(id),
    onClaim: (id, button) => claim(id, { button }),
  });
  ui.queueCount.textContent = t("list.count", { n: state.queue.length });
  const red = state.queue.filter((handoff) => handoff.priority === "red").length;
  document.title = state.queue.length ? `(${state.queue.length}${red ? ` · ${red}!` : ""}) ${BASE_TITLE}` : BASE_TITLE;
}

function renderDesk() {
  renderList(ui.desk, state.desk, {
    kind: "desk",
    fetchedAt: state.deskFetchedAt,
    openId: state.openId,
    unread: state.unread,
    onOpen: (id) => conversation.open(id),
    onClaim: () => {},
  });
  ui.deskCount.textContent = t("list.count", { n: state.desk.length });
}

/** Mark the open handoff in both lists (without refetching them). */
function markOpen(id) {
  state.openId = id === null || id === undefined ? null : String(id);
  if (state.openId && state.unread.delete(state.openId)) renderDesk();
  for (const row of document.querySelectorAll("#queue [data-handoff-id], #desk [data-handoff-id]")) {
    const current = row.dataset.handoffId === state.openId;
    row.classList.toggle("is-open", current);
    if (current) row.setAttribute("aria-current", "true");
    else row.removeAttribute("aria-current");
  }
}

/** Take a handoff from the queue. Resolves true when it is now the agent's. */
async function claim(id, { openAfter = true, button = null } = {}) {
  if (button) button.disabled = true;
  try {
    await api(`/handoffs/${encodeURIComponent(id)}/claim`, { method: "POST" });
  } catch (failure) {
    if (button && button.isConnected) button.disabled = false;
    if (!failure.sessionEnded) {
      setNotice(errorText(failure, "claim"));
      scheduleLists(0);
    }
    return false;
  }
  announce(t("claim.done", { protocol: protocolOf(id) }));
  setNotice("");
  await refreshLists();
  if (openAfter) conversation.open(id);
  return true;
}

// --- presence ------------------------------------------------------------------------------

async function changePresence() {
  const wanted = ui.presence.value;
  const previous = ui.presence.dataset.current || "";
  if (!wanted) {
    ui.presence.value = previous;
    return;
  }
  ui.presence.disabled = true;
  try {
    await api("/presence", { method: "POST", body: { status: wanted } });
    ui.presence.dataset.current = wanted;
    announce(t("presence.changed", { status: label("presence", wanted) }));
  } catch (failure) {
    ui.presence.value = previous;
    if (!failure.sessionEnded) setNotice(errorText(failure, "presence"));
  } finally {
    ui.presence.disabled = false;
  }
}

// --- real time -----------------------------------------------------------------------------

function handleEvent(message) {
  const raw = message.handoff_id ?? (message.handoff && message.handoff.id);
  const id = raw === undefined || raw === null ? null : String(raw);
  const isOpen = id !== null && id === state.openId;
  switch (message.event) {
    case "queue.changed":
      scheduleLists();
      break;
    case "handoff.updated":
      scheduleLists();
      if (isOpen) conversation.refresh();
      break;
    case "member.message":
      if (isOpen) {
        conversation.refresh();
      } else if (id !== null) {
        state.unread.add(id);
        scheduleLists();
        if (state.desk.some((handoff) => String(handoff.id) === id)) {
          announce(t("announce.deskMessage", { protocol: protocolOf(id) }));
        }
      }
      break;
    case "sla.breached":
      showSlaAlert(id, message.notify);
      scheduleLists();
      if (isOpen) conversation.refresh();
      break;
    default:
      // Anything else about a handoff ("handoff.claimed"...): refetch what is shown.
      if (message.event.startsWith("handoff.")) {
        scheduleLists();
        if (isOpen) conversation.refresh();
      }
  }
}

function protocolOf(id) {
  const found = [...state.queue, ...state.desk].find((handoff) => String(handoff.id) === String(id));
  return (found && found.protocol) || `#${id}`;
}

function priorityOf(id) {
  const found = [...state.queue, ...state.desk].find((handoff) => String(handoff.id) === String(id));
  return found ? found.priority : null;
}

/** A visible alert, read out at once (the #alerts region is aria-live="assertive"). */
function showSlaAlert(id, notify) {
  if (id === null) return;
  for (const old of ui.alerts.querySelectorAll(`[data-handoff-id="${CSS.escape(id)}"]`)) old.remove();
  while (ui.alerts.children.length >= MAX_ALERTS) ui.alerts.firstElementChild.remove();
  const priority = priorityOf(id);
  const parts = [t("alert.protocol", { protocol: protocolOf(id) })];
  if (priority) parts.push(label("priority", priority));
  if (notify) parts.push(t("alert.for", { audience: label("audience", notify) }));
  const open = el("button", { className: "button button--small", attrs: { type: "button" }, text: t("alert.open") });
  open.addEventListener("click", () => {
    alertNode.remove();
    conversation.open(id);
  });
  const dismiss = el("button", {
    className: "button button--small button--quiet",
    attrs: { type: "button", "aria-label": t("alert.dismissLabel", { protocol: protocolOf(id) }) },
    text: t("alert.dismiss"),
  });
  dismiss.addEventListener("click", () => {
    alertNode.remove();
    focus(ui.queueHeading);
  });
  const alertNode = el(
    "div",
    { className: "alert", attrs: { "data-testid": "alert", "data-handoff-id": id } },
    [
      el("p", { className: "alert-text" }, [
        el("strong", { text: t("alert.slaBreached") }),
        " ",
        el("span", { text: parts.join(" · ") }),
      ]),
      el("div", { className: "alert-actions" }, [open, dismiss]),
    ],
  );
  ui.alerts.append(alertNode);
}

function showConnection(status, delayMs) {
  state.live = status;
  const texts = {
    live: t("connection.live"),
    connecting: t("connection.connecting"),
    reconnecting: t("connection.reconnecting", { seconds: Math.max(1, Math.round((delayMs || 0) / 1000)) }),
    off: "",
  };
  ui.connection.textContent = texts[status] ?? "";
  ui.connection.dataset.state = status;
  ui.connection.hidden = status === "off";
}

function setNotice(text) {
  ui.noticeText.textContent = text || "";
  ui.notice.hidden = !text;
}

boot();
