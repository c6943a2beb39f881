// Loaded before the ipywidgets HTML manager on pages with widgets.
// 1. Tell the manager where its fonts live (our own copy, never a CDN).
// 2. The manager typesets labels through MathJax 2's MathJax.Hub.Queue; the book ships
//    MathJax 3, so provide that one call on whichever MathJax object is current.
(function () {
  var script = document.currentScript;
  var base = script ? script.src.replace(/[^/]*$/, "") : "";
  window.__jupyter_widgets_assets_path__ = base + "vendor/html-manager/";

  function addHub(mathjax) {
    if (mathjax && typeof mathjax === "object" && !mathjax.Hub) {
      mathjax.Hub = {
        Queue: function (job) {
          var element = Array.isArray(job) ? job[2] : undefined;
          var current = window.MathJax;
          if (current && typeof current.typesetPromise === "function") {
            current.typesetPromise(element ? [element] : undefined).catch(function () {});
          }
        },
      };
    }
    return mathjax;
  }

  var current = addHub(window.MathJax);
  Object.defineProperty(window, "MathJax", {
    configurable: true,
    get: function () {
      return current;
    },
    set: function (value) {
      current = addHub(value);
    },
  });
})();
