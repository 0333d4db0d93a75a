// Small DOM helpers. Anything that comes from the server or from a member goes into the page
// through textContent (or an attribute value), never through innerHTML: member messages are
// untrusted and the page must stay safe under a strict Content-Security-Policy.

import { applyTranslations } from "./i18n.js";

/** The first element matching `selector` under `root`. */
export function $(selector, root = document) {
  return root.querySelector(selector);
}

/** Every element matching `selector` under `root`, as an array. */
export function $$(selector, root = document) {
  return Array.from(root.querySelectorAll(selector));
}

/**
 * A new element. `text` is set with textContent; `attrs` become attributes (values as text);
 * `dataset` entries become data-* attributes; `children` are appended (strings as text nodes).
 */
export function el(tag, { className, text, attrs, dataset } = {}, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const [name, value] of Object.entries(dataset || {})) {
    if (value !== null && value !== undefined) node.dataset[name] = String(value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

/**
 * A copy of the first element of <template id="...">, translated. Templates keep the page's
 * structure in index.html; their content is not part of the document until cloned, so the
 * data-testid hooks they carry exist only once a screen is actually shown.
 */
export function fromTemplate(id) {
  const template = document.getElementById(id);
  const node = template.content.firstElementChild.cloneNode(true);
  applyTranslations(node);
  return node;
}

/** Set a node's text (or hide it when the text is empty). */
export function setText(node, text) {
  node.textContent = text || "";
  node.hidden = !text;
}

/** Move keyboard focus somewhere sensible without scrolling the page around needlessly. */
export function focus(node) {
  if (!node) return;
  if (!node.hasAttribute("tabindex") && !isFocusable(node)) node.setAttribute("tabindex", "-1");
  node.focus({ preventScroll: false });
}

function isFocusable(node) {
  return /^(A|BUTTON|INPUT|SELECT|TEXTAREA|SUMMARY)$/.test(node.tagName);
}

let announceTimer = null;

/**
 * Say something to screen-reader users through the page's polite live region
 * (#announcer). Cleared first so that the same sentence twice is still read twice.
 */
export function announce(text) {
  const region = document.getElementById("announcer");
  if (!region) return;
  region.textContent = "";
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => {
    region.textContent = text;
  }, 60);
}

/** Disable a form's controls while its request runs; returns the function that undoes it. */
export function busy(form) {
  const controls = Array.from(form.querySelectorAll("input, button, select, textarea")).filter(
    (control) => !control.disabled,
  );
  form.setAttribute("aria-busy", "true");
  for (const control of controls) control.disabled = true;
  return () => {
    form.removeAttribute("aria-busy");
    for (const control of controls) control.disabled = false;
  };
}
