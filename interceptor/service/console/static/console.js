/* Interceptor console: keyboard shortcuts for the review queue.
 *
 * j / k move to the next / previous item, c / d confirm / dismiss it (its note goes with
 * it), n writes a note, Escape leaves the note. A decision is posted in the background and
 * the item leaves the list (an item decided elsewhere meanwhile shows the conflict); the
 * last one gone, the next page loads. Everything also works without this script: the
 * buttons are plain form submissions. No inline script anywhere: the CSP forbids it.
 */
(function () {
  "use strict";
  var queue = document.getElementById("queue");
  if (!queue) { return; }
  var items = Array.prototype.slice.call(queue.querySelectorAll("li.item"));
  if (!items.length) { return; }
  var at = Math.min(parseInt(queue.getAttribute("data-at"), 10) || 0, items.length - 1);

  function show(i) {
    items[at].classList.remove("current");
    at = Math.max(0, Math.min(i, items.length - 1));
    var item = items[at];
    item.classList.add("current");
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
  }

  function flash(kind, text) {
    var box = document.getElementById("flash");
    if (!box) { return; }
    var p = document.createElement("p");
    p.className = "flash " + (kind === "conflict" ? "conflict" : "ok");
    p.id = kind;
    p.setAttribute("role", kind === "conflict" ? "alert" : "status");
    p.textContent = text;  /* text, never markup */
    box.replaceChildren(p);
  }

  function leave(item) {
    var i = items.indexOf(item);
    items.splice(i, 1);
    item.remove();
    var count = document.getElementById("pending-count");
    var n = parseInt(count ? count.textContent : "", 10);
    if (count && n > 0) { count.textContent = String(n - 1) + count.textContent.replace(/^[0-9]+/, ""); }
    if (!items.length) { window.location.assign(queue.getAttribute("data-next")); return; }  /* the next page */
    at = Math.min(at, items.length - 1);
    show(at);
  }

  function submitted(item, status, data) {
    var id = item.getAttribute("data-review");
    if (status === 200 && data.decided === id) {
      flash("decided", queue.getAttribute("data-decided").replace("{id}", id));
    } else if (status === 200 && data.conflict === id) {
      var was = queue.getAttribute(data.was === "dismiss" ? "data-was-dismiss" : "data-was-confirm");
      flash("conflict", queue.getAttribute("data-conflict").replace("{id}", id).replace("{was}", was));
    } else {
      window.location.reload();  /* signed out, a stale form: let the server say so */
      return;
    }
    leave(item);
  }

  function decide(decision) {
    var item = items[at];
    var form = item.querySelector("form.decide");
    if (!form || form.getAttribute("data-sent")) { return; }  /* one decision per item, key repeat or not */
    form.setAttribute("data-sent", decision);
    var body = new URLSearchParams(new FormData(form));
    body.set("decision", decision);
    window.fetch(form.action, { method: "POST", body: body, credentials: "same-origin", headers: { "X-Console": "fetch" } })
      .then(function (r) { return r.json().then(function (data) { submitted(item, r.status, data); }); })
      .catch(function () {  /* no answer we understand: the plain form does it */
        form.requestSubmit(form.querySelector('button[value="' + decision + '"]'));
      });
  }

  items.forEach(function (item, i) {
    item.addEventListener("click", function () { if (i !== at) { show(i); } });
  });

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    var tag = e.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") {
      if (e.key === "Escape" || (e.key === "Enter" && e.target.name === "note")) {
        e.preventDefault();  /* Enter in a note must not confirm by accident */
        show(at);
      }
      return;
    }
    switch (e.key) {
      case "j": show(at + 1); break;
      case "k": show(at - 1); break;
      case "c": decide("confirm"); break;
      case "d": decide("dismiss"); break;
      case "n": items[at].querySelector('input[name="note"]').focus(); break;
      default: return;
    }
    e.preventDefault();
  });

  show(at);
}());
