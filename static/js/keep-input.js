/* What was typed in a form that the server refused comes back. A refused form (core.actions
   .perform) answers with a message on the page the user returns to, where the form is new and
   empty. On submit, the form's fields are kept in this tab's sessionStorage; on the next page,
   if it says that something was refused, they are put back into the form that posts to the
   same address (also when that form comes later, opened on demand through htmx, or inside a
   section of the page that comes when it scrolls into view), and the folded section that held
   it is opened again. Then they are forgotten, whatever happened.
   Passwords, files and hidden fields (a record's version among them) are never kept. */
(function () {
  "use strict";

  const KEY = "nrm-refused-form";
  const SKIPPED = ["password", "file", "hidden", "submit", "button", "reset"];
  let pending = null;

  function fieldsOf(form) {
    const fields = [];
    for (const element of form.elements) {
      if (!element.name || SKIPPED.includes(element.type)) continue;
      if (element.type === "checkbox" || element.type === "radio") {
        fields.push({ name: element.name, value: element.value, checked: element.checked });
      } else if (element.multiple) {
        fields.push({ name: element.name, values: Array.from(element.selectedOptions, (o) => o.value) });
      } else {
        fields.push({ name: element.name, value: element.value });
      }
    }
    return fields;
  }

  function put(form, field) {
    for (const element of form.elements) {
      if (element.name !== field.name || SKIPPED.includes(element.type)) continue;
      if (element.type === "checkbox" || element.type === "radio") {
        if (element.value === field.value) element.checked = field.checked;
        continue;
      }
      const value = field.values || field.value;
      if (element.tomselect) {
        element.tomselect.setValue(value, true);
      } else if (element.multiple) {
        for (const option of element.options) option.selected = value.includes(option.value);
      } else {
        element.value = value;
      }
    }
  }

  function restoreWithin(root) {
    if (!pending) return;
    const forms = root.matches && root.matches("form") ? [root] : root.querySelectorAll("form");
    for (const form of forms) {
      if (form.action !== pending.action) continue;
      pending.fields.forEach((field) => put(form, field));
      pending = null;
      const section = form.closest("details");
      if (section) section.open = true;
      return;
    }
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if ((form.getAttribute("method") || "").toLowerCase() !== "post") return;
    const folded = form.closest("details[hx-get]");
    sessionStorage.setItem(
      KEY,
      JSON.stringify({
        action: form.action,
        folded: folded ? folded.getAttribute("hx-get") : "",
        fields: fieldsOf(form),
      })
    );
  });

  document.addEventListener("DOMContentLoaded", function () {
    const kept = sessionStorage.getItem(KEY);
    sessionStorage.removeItem(KEY);
    if (!kept || !document.querySelector("[data-refused]")) return;
    pending = JSON.parse(kept);
    restoreWithin(document);
    openFolded(document);
  });

  // The folded form, once its section is on the page: htmx fetches the form when it opens,
  // and htmx:load puts the fields back.
  function openFolded(root) {
    if (!pending || !pending.folded || !root.querySelectorAll) return;
    const section = Array.from(root.querySelectorAll("details[hx-get]")).find(
      (details) => details.getAttribute("hx-get") === pending.folded
    );
    if (section) section.open = true;
  }

  document.addEventListener("htmx:load", function (event) {
    restoreWithin(event.detail.elt);
    openFolded(event.detail.elt);
  });
})();
