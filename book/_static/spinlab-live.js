// Live code for the spinlab book: the "Live code" button (added by book/_ext/spinlab_live.py) turns the
// page's code cells into cells run by a local Jupyter server. `make live` starts that server on 127.0.0.1
// and writes _static/live-config.json ({baseUrl, wsUrl, token}) next to this file. Thebe is served from
// _static/vendor/thebe (npm, copied by the Makefile): nothing is loaded from another host.
(function () {
  var script = document.currentScript;
  var base = script ? script.src.replace(/[^/]*$/, "") : "";
  var state = "idle";
  // thebe-core fetches require.js (its loader for widget modules) from this fixed CDN address before it
  // shows any widget; the book serves the same library from _static/vendor, so that one fetch goes there.
  var REQUIREJS_CDN = "https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.6/require.min.js";
  var nativeFetch = window.fetch.bind(window);
  function localFetch(input, init) {
    return nativeFetch(input === REQUIREJS_CDN ? base + "vendor/require.js" : input, init);
  }

  function setStatus(text, kind) {
    var box = document.getElementById("spinlab-live-status");
    if (!box) {
      box = document.createElement("p");
      box.id = "spinlab-live-status";
      box.className = "spinlab-live-status";
      var article = document.querySelector("article.bd-article, main") || document.body;
      article.insertBefore(box, article.firstChild);
    }
    box.textContent = text;
    box.dataset.state = kind || "";
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var element = document.createElement("script");
      element.src = src;
      element.onload = resolve;
      element.onerror = function () {
        reject(new Error("could not load " + src));
      };
      document.head.appendChild(element);
    });
  }

  function loadStyle(href) {
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    document.head.appendChild(link);
  }

  // Mark every code cell for thebe: its source <pre> is executable and it gets exactly one output area
  // (thebe pairs sources and outputs in document order, so a cell without output gets an empty one).
  // The selectors come from sphinx-thebe's thebe_config (_config.yml).
  function prepareCells() {
    var cells = document.querySelectorAll(thebe_selector);
    var count = 0;
    cells.forEach(function (cell) {
      var source = cell.querySelector(thebe_selector_input);
      if (!source) {
        return;
      }
      source.setAttribute("data-executable", "true");
      source.setAttribute("data-language", "python");
      var output = cell.querySelector(thebe_selector_output);
      if (!output) {
        output = document.createElement("div");
        output.className = "cell_output docutils container";
        cell.appendChild(output);
      }
      output.setAttribute("data-output", "");
      cell.querySelectorAll("button.copybtn").forEach(function (button) {
        button.remove();
      });
      count += 1;
    });
    return count;
  }

  async function start() {
    var config;
    try {
      var response = await fetch(base + "live-config.json", { cache: "no-store" });
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      config = await response.json();
    } catch (error) {
      state = "idle";
      setStatus(
        "Live code needs a local Jupyter server: run `make live` in the spinlab repository and open the " +
          "address it prints.",
        "error",
      );
      return;
    }
    setStatus("Connecting to the local Jupyter server…", "busy");
    loadStyle(base + "vendor/thebe/thebe.css");
    window.fetch = localFetch;
    await loadScript(base + "vendor/thebe/index.js");
    var count = prepareCells();
    window.thebe.on("status", function (event, data) {
      if (state === "starting" && data && data.status) {
        setStatus("Live code: " + data.status + (data.message ? " (" + data.message + ")" : ""), "busy");
      }
    });
    var result = await window.thebe.bootstrap({
      useBinder: false,
      useJupyterLite: false,
      requestKernel: true,
      mountStatusWidget: false,
      mountActivateWidget: false,
      mathjaxUrl: false,
      serverSettings: {
        baseUrl: config.baseUrl,
        wsUrl: config.wsUrl,
        token: config.token,
        appendToken: true,
      },
    });
    if (!result || !result.session) {
      throw new Error("the Jupyter server did not start a kernel");
    }
    state = "ready";
    document.documentElement.dataset.spinlabLive = "ready";
    setStatus(
      "Live code: the " + count + " code cells of this page run on your local kernel. Press “run all” to run " +
        "the chapter, or “run” on a cell once the cells above it have run.",
      "ready",
    );
  }

  window.spinlabLive = function () {
    if (state !== "idle") {
      return;
    }
    state = "starting";
    start().catch(function (error) {
      state = "idle";
      document.documentElement.dataset.spinlabLive = "failed";
      setStatus("Live code failed: " + error.message, "error");
      console.warn("spinlab live code:", error);
    });
  };
})();
