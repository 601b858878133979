// Progressive enhancement only: every page works without this script.
// Module scripts run only in browsers GOV.UK Frontend supports, so these classes are set
// here rather than by the inline script GOV.UK's template uses (Harbour allows none).
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// A part of a page that is still changing (a return being made) says so with
// data-harbour-refresh; this updates it in place every few seconds, and shows the whole
// page again once it has stopped changing. Without the script, a link reloads the page.
const refreshing = document.querySelector("[data-harbour-refresh]");
if (refreshing) {
  const poll = async () => {
    const response = await fetch(window.location.href, { credentials: "same-origin" });
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    const part = fresh.querySelector("[data-harbour-refresh]");
    if (!part) {
      window.location.reload();
      return;
    }
    refreshing.querySelector("[data-harbour-status]").innerHTML =
      part.querySelector("[data-harbour-status]").innerHTML;
    window.setTimeout(poll, 3000);
  };
  window.setTimeout(poll, 3000);
}

// A long form (data-harbour-autosave) is kept as a draft on the server a few seconds after
// each change, so a closed tab, a crashed browser or a session that ends loses at most those
// seconds. Without the script, the form's "Save draft" button does the same.
const AUTOSAVE_MS = 4000;
const autosaved = document.querySelector("form[data-harbour-autosave]");
let keepNow = null;
if (autosaved) {
  const status = autosaved.querySelector("[data-harbour-draft-status]");
  let changed = false;
  let timer = null;
  const say = (text) => {
    if (status) status.textContent = text;
  };
  keepNow = async () => {
    if (!changed) return true;
    changed = false;
    const fields = new FormData(autosaved);
    fields.delete("action");
    fields.append("harbour_path", window.location.pathname);
    try {
      const response = await fetch(autosaved.dataset.harbourAutosave, {
        method: "POST",
        body: fields,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      });
      const answer = await response.json();
      if (answer.signed_out && answer.kept) {
        say("You have been signed out. What you typed is kept as a draft: sign in again to carry on.");
        return true;
      }
      if (response.ok && answer.kept) {
        say(`Draft saved at ${answer.at}`);
        sessionStarted = Date.now();
        return true;
      }
      say(`Your draft could not be saved: ${answer.why}. Use "Save draft" or copy your text.`);
    } catch {
      changed = true;
      say("Your draft could not be saved: check your connection. We will try again.");
    }
    return false;
  };
  const soon = () => {
    changed = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(keepNow, AUTOSAVE_MS);
  };
  autosaved.addEventListener("input", soon);
  autosaved.addEventListener("change", soon);
  autosaved.addEventListener("submit", () => {
    changed = false;
    window.clearTimeout(timer);
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden" && changed) keepNow();
  });
}

// GOV.UK's timeout warning: two minutes before the session would end, a dialog says so and
// offers to stay signed in. When it ends, any draft is kept first, then the sign-in page
// shows, bringing the person back here afterwards.
let sessionStarted = Date.now();
const warning = document.querySelector("dialog[data-harbour-timeout]");
if (warning && typeof warning.showModal === "function") {
  const lifetime = Number(warning.dataset.sessionSeconds) * 1000;
  const warnFor = Number(warning.dataset.warnSeconds) * 1000;
  const countdown = warning.querySelector("[data-harbour-countdown]");
  const words = (ms) => {
    const seconds = Math.max(0, Math.ceil(ms / 1000));
    if (seconds > 60) return `${Math.ceil(seconds / 60)} minutes`;
    return seconds === 1 ? "1 second" : `${seconds} seconds`;
  };
  const signedOut = async () => {
    if (keepNow) await keepNow();
    const back = encodeURIComponent(window.location.pathname + window.location.search);
    window.location.href = `${warning.dataset.signIn}?next=${back}&timed_out=1`;
  };
  const tick = () => {
    const left = sessionStarted + lifetime - Date.now();
    if (left <= 0) {
      signedOut();
      return;
    }
    if (left <= warnFor) {
      if (!warning.open) warning.showModal();
      countdown.textContent = words(left);
    } else if (warning.open) {
      warning.close();
    }
    window.setTimeout(tick, left <= warnFor ? 1000 : Math.min(left - warnFor, 30000));
  };
  warning.querySelector("[data-harbour-stay]").addEventListener("click", async () => {
    const token = warning.querySelector("input[name=csrfmiddlewaretoken]").value;
    const response = await fetch(warning.dataset.stay, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token },
    });
    if (response.status === 204) {
      sessionStarted = Date.now();
      warning.close();
    } else {
      signedOut();
    }
  });
  warning.addEventListener("cancel", (event) => event.preventDefault());
  window.setTimeout(tick, Math.max(0, lifetime - warnFor));
}
