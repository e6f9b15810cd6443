// Progressive enhancement only: every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Put keyboard and screen-reader focus on the first invalid field after a failed submit.
  const invalid = document.querySelector(".is-invalid, [aria-invalid='true']");
  if (invalid) {
    invalid.focus();
  }
  fitNavigationMenu();
});

// The navigation's menus are <details> elements (templates/_navigation.html): they open and
// close without JavaScript. Here they get what menus do elsewhere: Escape closes the innermost
// open one and puts the focus on its button; a click elsewhere, or the focus moving on (see
// below), closes a dropdown; one dropdown is open at a time (newer browsers do that from
// `name` alone); the arrow keys step through a dropdown's entries.
const NAV_MENU = "details[data-nav-menu]";
const NAV_DROPDOWN = "details.nav-dropdown";

function summaryOf(menu) {
  return menu.querySelector(":scope > summary");
}

function closeOpenDropdowns(except) {
  for (const dropdown of document.querySelectorAll(`${NAV_DROPDOWN}[open]`)) {
    if (dropdown !== except && !dropdown.contains(except)) {
      dropdown.open = false;
    }
  }
}

document.addEventListener("click", (event) => {
  closeOpenDropdowns(event.target);
});

// Only a dropdown that lies over the page closes as the focus leaves it: inside the burger's
// menu closing it would move the entries under the pointer between press and release.
document.addEventListener("focusout", (event) => {
  const dropdown = event.target.closest?.(`${NAV_DROPDOWN}[open]`);
  const menu = dropdown?.querySelector(":scope > .dropdown-menu");
  if (
    menu &&
    getComputedStyle(menu).position === "absolute" &&
    event.relatedTarget &&
    !dropdown.contains(event.relatedTarget)
  ) {
    dropdown.open = false;
  }
});

// `toggle` does not bubble; it is caught on its way down.
document.addEventListener(
  "toggle",
  (event) => {
    if (event.target.matches?.(NAV_DROPDOWN) && event.target.open) {
      closeOpenDropdowns(event.target);
    }
  },
  true,
);

function stepThroughDropdown(dropdown, event) {
  dropdown.open = true;
  const items = [...dropdown.querySelectorAll(".dropdown-item")];
  const step = event.key === "ArrowDown" ? 1 : -1;
  const current = items.indexOf(event.target);
  const next = current === -1 ? (step === 1 ? 0 : items.length - 1) : current + step;
  items[(next + items.length) % items.length].focus();
}

// Caught on its way down, so that Bootstrap's dropdown handler (made for its own
// data-bs-toggle markup, which has a .dropdown-menu too) never sees these keys.
document.addEventListener(
  "keydown",
  (event) => {
    if (event.key === "Escape") {
      const menu = event.target.closest?.(`${NAV_MENU}[open]`);
      // The burger's <details> stays open in wide windows of older browsers (below).
      if (menu && summaryOf(menu).getClientRects().length > 0) {
        event.stopPropagation();
        menu.open = false;
        summaryOf(menu).focus();
      }
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const dropdown = event.target.closest?.(NAV_DROPDOWN);
      if (dropdown) {
        event.stopPropagation();
        event.preventDefault();
        stepThroughDropdown(dropdown, event);
      }
    }
  },
  true,
);

// Browsers without ::details-content (Firefox before 143, Safari before 18.4) cannot show the
// content of a closed <details>: in wide windows (portal.css's xl breakpoint) the burger's menu
// is opened here and its button hidden. Without JavaScript they keep the burger.
function fitNavigationMenu() {
  const burger = document.querySelector("details.navbar-menu");
  if (!burger || CSS.supports("selector(::details-content)")) {
    return;
  }
  const wide = window.matchMedia("(min-width: 1200px)");
  const fit = () => {
    burger.open = wide.matches;
    summaryOf(burger).hidden = wide.matches;
  };
  fit();
  wide.addEventListener("change", fit);
}

// Inline actions (htmx, the case file): after the swap the focus goes where a page load would
// put it, the first field to correct, or else back to the heading of the form that was sent, so
// that keyboard and screen-reader users keep their place.
let sentFrom = null;

function isInlineAction(event) {
  return event.detail.requestConfig?.verb === "post" && event.target.closest("#case-file");
}

document.addEventListener("htmx:beforeRequest", (event) => {
  if (isInlineAction(event)) {
    sentFrom = event.target.closest("section")?.getAttribute("aria-labelledby") ?? null;
  }
});

// An answer without a case file is another page the request was sent on to: the login after
// the session ran out, or its second step. Swapping it in would empty the page; the case file
// is loaded again instead, which leads to that page with the case file as the way back.
document.addEventListener("htmx:beforeSwap", (event) => {
  const answer = event.detail.xhr.responseText;
  if (isInlineAction(event) && event.detail.shouldSwap && !answer.includes('id="case-file"')) {
    event.detail.shouldSwap = false;
    sentFrom = null;
    window.location.reload();
  }
});

document.addEventListener("htmx:afterSettle", () => {
  if (sentFrom === null) {
    return; // not an inline action (search as you type keeps its focus)
  }
  const invalid = document.querySelector(".is-invalid, [aria-invalid='true']");
  const heading = sentFrom && document.getElementById(sentFrom);
  if (invalid) {
    invalid.focus();
  } else if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
  sentFrom = null;
});

// A failure htmx does not swap (403, 404, 5xx) or no answer at all: the form stays as it was
// typed, and the message region says what happened. Never sent again by itself: the server may
// have stored it already (a note twice is worse than a note to send again).
function reportFailure(event, key) {
  if (!isInlineAction(event)) {
    return;
  }
  sentFrom = null;
  const caseFile = document.getElementById("case-file");
  const messages = document.getElementById("messages");
  if (!caseFile || !messages) {
    return;
  }
  const alert = document.createElement("div");
  alert.className = "alert alert-danger";
  alert.textContent = caseFile.dataset[key];
  messages.replaceChildren(alert);
}

document.addEventListener("htmx:responseError", (event) => reportFailure(event, "failedMessage"));
document.addEventListener("htmx:sendError", (event) => reportFailure(event, "offlineMessage"));
