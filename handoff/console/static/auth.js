// The login screens: password, then the TOTP code, or (first time) enrolling an authenticator.
//
// Each screen is cloned from its <template> into #auth-root, so only one form (and one
// data-testid="submit") exists at a time. The login API's answers carry the next CSRF token;
// api.js keeps it.

import { api } from "./api.js";
import { $, announce, busy, focus, fromTemplate, setText } from "./dom.js";
import { clockText } from "./format.js";
import { t } from "./i18n.js";
import { loginErrorText } from "./messages.js";

/**
 * The login screens. `onLoggedIn()` is called once both factors are done; the caller reads
 * GET /session for the agent.
 */
export function createAuth({ root, onLoggedIn }) {
  let countdown = null;

  function mount(templateId) {
    clearInterval(countdown);
    countdown = null;
    const screen = fromTemplate(templateId);
    root.replaceChildren(screen);
    root.hidden = false;
    return screen;
  }

  /** The login form, with an optional notice (why the agent is here again). */
  function showLogin({ notice = "", retryAfterSeconds = null } = {}) {
    const screen = mount("tpl-login");
    const form = $("form", screen);
    const error = $(".js-error", screen);
    setText($(".js-notice", screen), notice);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      setText(error, "");
      const login = $("[data-testid=login-input]", form).value.trim();
      const password = $("[data-testid=password-input]", form).value;
      if (!login || !password) {
        setText(error, t("login.missing"));
        return;
      }
      const release = busy(form);
      try {
        const answer = await api("/login", {
          method: "POST",
          body: { login, password },
          loginStep: true,
        });
        release();
        nextStep(answer && answer.stage);
      } catch (failure) {
        release();
        $("[data-testid=password-input]", form).value = "";
        setText(error, loginErrorText(failure));
        if (failure.status === 429) holdSubmit(form, failure.retryAfterSeconds);
        focus($("[data-testid=password-input]", form));
      }
    });
    if (retryAfterSeconds) holdSubmit(form, retryAfterSeconds);
    focus($("[data-testid=login-input]", form));
  }

  /** The code from the authenticator app, for an agent who has one. */
  function showTotp() {
    const screen = mount("tpl-totp");
    const form = $("form", screen);
    wireCodeForm(form, "/totp");
    wireOtherAccount(screen);
    focus($("[data-testid=totp-input]", form));
  }

  /** First login: a new secret (QR code and typed key), confirmed by a first code. */
  async function showEnrol() {
    const screen = mount("tpl-enrol");
    const form = $("form", screen);
    const status = $(".js-enrol-status", screen);
    wireOtherAccount(screen);
    setText(status, t("enrol.loading"));
    form.hidden = true;
    let enrolment;
    try {
      enrolment = await api("/totp/enrolment", { method: "POST", loginStep: true });
    } catch (failure) {
      if (failure.reason === "already_enrolled") {
        showTotp();
        return;
      }
      if (failure.status === 401) {
        showLogin({ notice: loginErrorText(failure) });
        return;
      }
      if (failure.reason === "already_logged_in") {
        onLoggedIn();
        return;
      }
      setText(status, loginErrorText(failure));
      return;
    }
    setText(status, "");
    showQr($(".js-qr", screen), enrolment.qr_svg);
    $(".js-secret", screen).textContent = groupedSecret(enrolment.secret);
    form.hidden = false;
    wireCodeForm(form, "/totp/enrolment/confirm");
    focus($("h1", screen));
  }

  /** Submit a 6-digit code to `path` (the TOTP step or the enrolment's confirmation). */
  function wireCodeForm(form, path) {
    const error = $(".js-error", form);
    const input = $("[data-testid=totp-input]", form);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      setText(error, "");
      const code = input.value.replace(/\s+/g, "");
      if (!/^\d{6}$/.test(code)) {
        setText(error, t("totp.format"));
        focus(input);
        return;
      }
      const release = busy(form);
      try {
        const answer = await api(path, { method: "POST", body: { code }, loginStep: true });
        release();
        nextStep(answer && answer.stage);
      } catch (failure) {
        release();
        input.value = "";
        if (failure.status === 429) {
          // Once the login is locked the server also ends this half-done session.
          showLogin({ notice: loginErrorText(failure), retryAfterSeconds: failure.retryAfterSeconds });
          return;
        }
        if (failure.reason === "enrolment_required") {
          showEnrol();
          return;
        }
        if (failure.reason === "no_enrolment_started") {
          showEnrol();
          return;
        }
        if (failure.reason === "already_enrolled") {
          showTotp();
          return;
        }
        if (failure.reason === "already_logged_in") {
          onLoggedIn();
          return;
        }
        if (failure.status === 401 && failure.reason !== "wrong_code") {
          showLogin({ notice: loginErrorText(failure) });
          return;
        }
        setText(error, loginErrorText(failure));
        focus(input);
      }
    });
  }

  function wireOtherAccount(screen) {
    const button = $(".js-other-account", screen);
    if (!button) return;
    button.addEventListener("click", async () => {
      try {
        await api("/logout", { method: "POST", loginStep: true });
      } catch {
        // Whatever the answer, the agent wants the login form; a stale cookie is replaced there.
      }
      showLogin();
    });
  }

  function nextStep(stage) {
    if (stage === "totp") showTotp();
    else if (stage === "enrol") showEnrol();
    else if (stage === "full") onLoggedIn();
    else showLogin({ notice: t("error.generic") });
  }

  /** Keep the submit button disabled, counting down, while the server refuses attempts. */
  function holdSubmit(form, seconds) {
    const button = $("[data-testid=submit]", form);
    if (!seconds || !button) return;
    const label = button.textContent;
    const until = Date.now() + seconds * 1000;
    button.disabled = true;
    const tick = () => {
      const left = Math.ceil((until - Date.now()) / 1000);
      if (left <= 0 || !button.isConnected) {
        clearInterval(countdown);
        countdown = null;
        button.disabled = false;
        button.textContent = label;
        if (button.isConnected) announce(t("login.canRetry"));
        return;
      }
      button.textContent = t("login.waitButton", { time: clockText(left) });
    };
    clearInterval(countdown);
    countdown = setInterval(tick, 1000);
    tick();
  }

  function hide() {
    clearInterval(countdown);
    countdown = null;
    root.replaceChildren();
    root.hidden = true;
  }

  return { showLogin, showTotp, showEnrol, hide };
}


/** The secret in groups of four, easier to type into a phone. */
function groupedSecret(secret) {
  return String(secret || "").replace(/(.{4})/g, "$1 ").trim();
}

// The QR code is the one piece of server markup the page shows. It is still not trusted
// blindly: the SVG is parsed with DOMParser as XML (never as HTML, nothing runs while parsing),
// and rebuilt element by element from an allow-list of the shapes a QR code needs, keeping
// only geometry and paint attributes. No script, no event handler, no link, no style, no
// foreignObject can come through, and nothing needs a data: or blob: URL, so it works under a
// CSP with img-src 'self'.
const SVG_NS = "http://www.w3.org/2000/svg";
const QR_ELEMENTS = new Set(["svg", "g", "path", "rect"]);
const QR_ATTRIBUTES = new Set([
  "viewBox",
  "width",
  "height",
  "d",
  "transform",
  "fill",
  "stroke",
  "stroke-width",
  "x",
  "y",
  "shape-rendering",
]);

function showQr(container, svgText) {
  container.replaceChildren();
  const parsed = new DOMParser().parseFromString(String(svgText || ""), "image/svg+xml");
  const source = parsed.documentElement;
  if (!source || source.localName !== "svg" || parsed.getElementsByTagName("parsererror").length) {
    container.textContent = t("enrol.qrUnavailable");
    return;
  }
  const svg = copySvg(source);
  // A viewBox lets the stylesheet size the code (quiet zone included) without blurring it.
  const width = Number.parseFloat(svg.getAttribute("width"));
  const height = Number.parseFloat(svg.getAttribute("height"));
  if (!svg.hasAttribute("viewBox") && width > 0 && height > 0) {
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  }
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", t("enrol.qrLabel"));
  svg.setAttribute("focusable", "false");
  container.append(svg);
}

function copySvg(source) {
  const copy = document.createElementNS(SVG_NS, source.localName);
  for (const attribute of Array.from(source.attributes)) {
    if (QR_ATTRIBUTES.has(attribute.name) && !/url\s*\(/i.test(attribute.value)) {
      copy.setAttribute(attribute.name, attribute.value);
    }
  }
  for (const child of Array.from(source.children)) {
    // segno's inline SVG carries no xmlns, so its elements parse into no namespace.
    const svgOrNone = child.namespaceURI === SVG_NS || child.namespaceURI === null;
    if (svgOrNone && QR_ELEMENTS.has(child.localName)) {
      copy.append(copySvg(child));
    }
  }
  return copy;
}
