// What ipywidgets 8 leaves out of its markup, put in as the widgets draw and redraw themselves:
// - a toggle button (an answer, "What good looks like", "Notes") says whether it is pressed
//   (aria-pressed), so a screen reader hears the chosen grade, not only sees its colour;
// - a row of answer buttons is a group named by its (possibly visually hidden) label;
// - a section header of an accordion is a button that the keyboard reaches (Tab) and opens
//   (Enter or Space), saying whether it is open; ipywidgets draws it as a plain div;
// - the page's content is its main landmark.
(function () {
  "use strict";
  var labelled = 0;

  function describe() {
    var cells = document.getElementById("rendered_cells");
    if (cells && !cells.hasAttribute("role")) {
      cells.setAttribute("role", "main");
    }
    document.querySelectorAll(".widget-toggle-button").forEach(function (button) {
      var pressed = button.classList.contains("mod-active") ? "true" : "false";
      if (button.getAttribute("aria-pressed") !== pressed) {
        button.setAttribute("aria-pressed", pressed);
      }
    });
    document.querySelectorAll(".widget-toggle-buttons").forEach(function (group) {
      var label = group.querySelector(":scope > .widget-label");
      if (!label || !label.textContent.trim() || group.hasAttribute("aria-labelledby")) {
        return;
      }
      if (!label.id) {
        labelled += 1;
        label.id = "ca-group-label-" + labelled;
      }
      group.setAttribute("role", "group");
      group.setAttribute("aria-labelledby", label.id);
    });
    document.querySelectorAll(".jupyter-widget-Collapse-header").forEach(function (header) {
      var open = header.parentElement &&
        header.parentElement.classList.contains("jupyter-widget-Collapse-open") ? "true" : "false";
      if (header.getAttribute("role") !== "button") {
        header.setAttribute("role", "button");
        header.setAttribute("tabindex", "0");
      }
      if (header.getAttribute("aria-expanded") !== open) {
        header.setAttribute("aria-expanded", open);
      }
    });
  }

  var pending = false;
  function soon() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        describe();
      });
    }
  }

  document.addEventListener("keydown", function (event) {
    var header = event.target.closest && event.target.closest(".jupyter-widget-Collapse-header");
    if (header && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      header.click();
    }
  });

  function start() {
    describe();
    // only class changes and new elements matter: the attributes set here are not watched
    new MutationObserver(soon).observe(document.body, {
      subtree: true, childList: true, attributes: true, attributeFilter: ["class"]
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
