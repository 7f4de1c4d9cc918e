/* Intrlume web agent loader. Paste on your site:
   <script src="https://…/embed/v1/widget.js" data-key="pk_live_…" async></script>
   It asks for the widget's configuration (refused unless this site's origin is allowed)
   and only then adds the widget's frame after the script tag. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var key = script.getAttribute("data-key");
  if (!key) {
    console.warn("Intrlume web agent: the script tag has no data-key.");
    return;
  }
  var query = "?key=" + encodeURIComponent(key);
  var configUrl = new URL("config" + query, script.src);
  var frameUrl = new URL("frame" + query, script.src);
  fetch(configUrl, { credentials: "omit", mode: "cors" })
    .then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
        return body;
      });
    })
    .then(function (config) {
      var frame = document.createElement("iframe");
      frame.src = frameUrl.href;
      frame.title = config.organization.name + " web agent";
      frame.setAttribute("data-intrlume-widget", "");
      frame.style.cssText = "width:360px;height:480px;max-width:100%;border:1px solid #dee2e6;border-radius:8px;";
      script.insertAdjacentElement("afterend", frame);
    })
    .catch(function (error) {
      console.warn("Intrlume web agent not shown: " + error.message);
    });
})();
