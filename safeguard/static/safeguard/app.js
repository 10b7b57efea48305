// Safeguard front-end bootstrap. Loaded as <script type="module" nonce=...> from base.html,
// after htmx (a deferred classic script, which runs first because it comes first).
import { initAll } from "../govuk/govuk-frontend.min.js";

// GOV.UK Frontend only enhances components when this class is present; browsers that run
// ES modules support everything it needs.
document.body.classList.add("govuk-frontend-supported");
initAll();

// htmx: send the CSRF token with every request it makes, and enhance swapped-in content.
const csrfMeta = document.querySelector('meta[name="csrf-token"]');

document.body.addEventListener("htmx:configRequest", (event) => {
  const token = csrfMeta ? csrfMeta.getAttribute("content") : "";
  if (token) {
    event.detail.headers["X-CSRFToken"] = token;
  }
});

if (window.htmx) {
  window.htmx.onLoad((element) => {
    // The initial page was initialised above; only new fragments need it.
    if (element !== document.body && element instanceof HTMLElement) {
      initAll({ scope: element });
    }
  });
}
