/* Starts Swagger UI on /docs from this server's own copy, without the inline script the
 * usual page carries (the CSP forbids inline scripts) and without the online validator. */
window.addEventListener("load", function () {
  "use strict";
  var el = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: el.getAttribute("data-spec"),
    dom_id: "#swagger-ui",
    validatorUrl: null,
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
    layout: "BaseLayout"
  });
});
