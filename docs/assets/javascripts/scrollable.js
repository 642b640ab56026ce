// Keyboard access to content that scrolls sideways (WCAG 2.1.1): a formula, table or
// code cell wider than its box scrolls inside it (see initnotes.css); such a box gets
// tabindex="0" so that it can be focused and scrolled with the arrow keys. Runs after
// each page load, once the fonts have loaded, and on resize.
(function () {
  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";
  function mark() {
    document.querySelectorAll(".md-content :is(div, pre, table, span.arithmatex)")
      .forEach(function (el) {
        if (el.hasAttribute("tabindex") || el.querySelector(FOCUSABLE)) return;
        var overflow = getComputedStyle(el).overflowX;
        if ((overflow === "auto" || overflow === "scroll") && el.scrollWidth > el.clientWidth + 1) {
          el.setAttribute("tabindex", "0");
        }
      });
  }
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(mark, 200);
  });
  // Formulas widen once the math font has loaded: look again then.
  function markNowAndAfterFonts() {
    mark();
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(mark);
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(markNowAndAfterFonts);
  } else {
    document.addEventListener("DOMContentLoaded", markNowAndAfterFonts);
  }
})();
