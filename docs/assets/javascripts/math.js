// Typeset math with the KaTeX copy served by this site (no CDN), on first load and after
// each instant-navigation page change:
// - the Markdown pages' arithmatex spans, whose TeX sits between \( \) or \[ \];
// - the markdown cells of the tutorials (notebook pages), which keep the $...$ and
//   $$...$$ of the notebook as written.
(function () {
  var ARITHMATEX = [
    { left: "\\(", right: "\\)", display: false },
    { left: "\\[", right: "\\]", display: true },
  ];
  var NOTEBOOK = [
    { left: "$$", right: "$$", display: true },
    { left: "\\[", right: "\\]", display: true },
    { left: "$", right: "$", display: false },
    { left: "\\(", right: "\\)", display: false },
  ];
  var TARGETS = [
    { selector: ".arithmatex", delimiters: ARITHMATEX },
    { selector: ".jupyter-wrapper .jp-RenderedMarkdown", delimiters: NOTEBOOK },
  ];
  function typeset() {
    if (typeof renderMathInElement !== "function") return;
    TARGETS.forEach(function (target) {
      document.querySelectorAll(target.selector).forEach(function (el) {
        renderMathInElement(el, { delimiters: target.delimiters, throwOnError: false });
      });
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(typeset);
  } else {
    document.addEventListener("DOMContentLoaded", typeset);
  }
})();
