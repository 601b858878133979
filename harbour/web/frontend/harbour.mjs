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
