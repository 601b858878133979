// Progressive enhancement only: every page works without this script.
// Module scripts run only in browsers GOV.UK Frontend supports, so these classes are set
// here rather than by the inline script GOV.UK's template uses (Harbour allows none).
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
