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

// Stacked table rows on small screens: give each cell its column's heading (app.css shows it).
function labelTableCells(scope) {
  scope.querySelectorAll("table.govuk-table").forEach((table) => {
    const headings = Array.from(table.querySelectorAll("thead th")).map((th) => th.textContent.trim());
    if (!headings.length) {
      return;
    }
    table.querySelectorAll("tbody tr").forEach((row) => {
      Array.from(row.children).forEach((cell, index) => {
        if (headings[index] && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", headings[index]);
        }
      });
    });
  });
}
labelTableCells(document);

// Radios and checkboxes that reveal more questions (Form B's "Observed", the ui app's govuk_reveal
// component). GOV.UK Frontend's radios module marks each radio aria-expanded, which a radio may not
// carry (axe: aria-allowed-attr); this keeps aria-controls only and shows the questions while the
// input is chosen.
function syncReveals(scope) {
  scope.querySelectorAll("input[data-reveals]").forEach((input) => {
    const target = document.getElementById(input.dataset.reveals);
    if (target) {
      const hidden = input.type === "radio" ? "govuk-radios__conditional--hidden" : "govuk-checkboxes__conditional--hidden";
      target.classList.toggle(hidden, !input.checked);
    }
  });
}
document.body.addEventListener("change", (event) => {
  if (event.target instanceof HTMLInputElement && event.target.dataset.reveals !== undefined) {
    syncReveals(event.target.form || document);
  } else if (event.target instanceof HTMLInputElement && event.target.type === "radio") {
    syncReveals(event.target.form || document);
  }
});

// The observation form's indicator filter: hide the indicators whose text does not contain what
// is typed (ticked ones always stay), and groups left empty. Without scripts every group shows.
document.querySelectorAll("[data-indicator-filter]").forEach((box) => {
  const wrapper = box.closest(".sg-indicator-filter");
  if (wrapper) {
    wrapper.hidden = false;
  }
  const groups = document.querySelectorAll(".sg-choice-group");
  box.addEventListener("input", () => {
    const words = box.value.trim().toLowerCase();
    groups.forEach((group) => {
      let shown = 0;
      group.querySelectorAll(".govuk-checkboxes__item").forEach((item) => {
        const input = item.querySelector("input");
        const match = !words || item.textContent.toLowerCase().includes(words) || (input && input.checked);
        item.hidden = !match;
        shown += match ? 1 : 0;
      });
      group.hidden = shown === 0;
    });
  });
});

if (window.htmx) {
  window.htmx.onLoad((element) => {
    if (element !== document.body && element instanceof HTMLElement) {
      labelTableCells(element);
    }
  });
}
