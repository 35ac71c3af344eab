/* Interceptor console: keyboard shortcuts for the review queue.
 *
 * j / k move to the next / previous item, c / d confirm / dismiss it (its note goes with
 * it), n writes a note, Escape leaves the note. Everything also works without this script:
 * the buttons are plain form submissions. No inline script anywhere: the CSP forbids it.
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

  function decide(decision) {
    var form = items[at].querySelector("form.decide");
    if (!form || form.getAttribute("data-sent")) { return; }  /* one decision per item, key repeat or not */
    form.setAttribute("data-sent", decision);
    form.requestSubmit(form.querySelector('button[value="' + decision + '"]'));
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
