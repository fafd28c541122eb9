// tidings dashboard: small progressive enhancements (every page works without JavaScript).
(function () {
  "use strict";
  function flash(id) {
    var el = document.getElementById(id);
    if (!el) return;
    var next = el.nextElementSibling || el;
    next.classList.remove("flash");
    void next.offsetWidth;      // restart the animation
    next.classList.add("flash");
  }
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest("a.jump");
    if (link) flash(link.dataset.target);
  });
  if (location.hash) flash(location.hash.slice(1));
})();
