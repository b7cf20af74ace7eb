/* Type-ahead for the long selects (core.forms.TypeAheadSelect: the ~600 languages): every
   <select data-typeahead> becomes a Tom Select box (npm, served by the app) where a few letters
   of a name, or its code, find the choice, and several are chosen without Ctrl-click. Without
   JavaScript the plain select works as it is; the box posts the same select.

   Its words come from the select's data- attributes, translated on the server. The label, the
   format hint and the errors stay tied to the box for a screen reader: Tom Select moves the
   label to its input, and the select's aria-describedby and aria-invalid are copied here. */
(function () {
  "use strict";

  function enhance(select) {
    if (select.tomselect || typeof TomSelect === "undefined") return;
    const words = select.dataset;
    const box = new TomSelect(select, {
      plugins: select.multiple ? { remove_button: { title: words.remove } } : [],
      placeholder: words.placeholder,
      searchField: ["text", "value"],
      maxOptions: null, // every match, not the first 50: a keyboard user can reach them all
      // The list follows each letter at once. Tom Select's default waits 300 ms, and a choice
      // clicked within that time had its list opened again over the form by the late refresh.
      refreshThrottle: 0,
      closeAfterSelect: !select.multiple,
      onItemAdd: function () {
        // The letters typed found this choice; the next one starts from an empty box.
        this.setTextboxValue("");
        this.refreshOptions(false);
      },
      render: {
        no_results: function (data, escape) {
          return '<div class="no-results">' + escape(words.noResults) + "</div>";
        },
      },
    });
    for (const name of ["aria-describedby", "aria-invalid", "aria-required"]) {
      const value = select.getAttribute(name);
      if (value) box.control_input.setAttribute(name, value);
    }
  }

  function enhanceWithin(root) {
    if (root.matches && root.matches("select[data-typeahead]")) enhance(root);
    root.querySelectorAll("select[data-typeahead]").forEach(enhance);
  }

  if (window.htmx) {
    window.htmx.onLoad(enhanceWithin); // the page, and every part htmx swaps in later
  } else {
    document.addEventListener("DOMContentLoaded", function () {
      enhanceWithin(document);
    });
  }
})();
