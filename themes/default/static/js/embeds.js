/* Players and frames of other hosts, loaded only when the reader asks (docs/shortcodes.md).
   Each is a card that links to the original: without this script, or with embeds:
   {links_only: true} (no data-embed-src then), the link opens it. With it, a click on the
   card, or Enter on it, puts the player in the card's place and moves focus to it; a click
   with a modifier key or another button still opens the link as the browser would.
   The theme's pages load this file only when their body holds such a card. */
(function () {
  "use strict";
  var ALLOW = "autoplay; fullscreen; picture-in-picture; encrypted-media";

  function player(box) {
    var kind = box.getAttribute("data-embed-kind");
    var title = box.getAttribute("data-embed-title") || "";
    var element;
    if (kind === "audio") {
      element = document.createElement("audio");
      element.controls = true;
      element.autoplay = true;
      element.setAttribute("aria-label", title);
    } else {
      element = document.createElement("iframe");
      element.title = title;
      element.setAttribute("allow", ALLOW);
      element.setAttribute("allowfullscreen", "");
      element.setAttribute("loading", "lazy");
      element.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
      var height = box.getAttribute("data-embed-height");
      if (height && height !== "0") element.setAttribute("height", height);
    }
    element.className = "embed-player";
    // last, once the attributes that govern the request are set
    element.src = box.getAttribute("data-embed-src");
    return element;
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var link = event.target.closest ? event.target.closest("a.embed-facade") : null;
    var box = link && link.parentElement;
    if (!box || !box.hasAttribute("data-embed-src")) return;
    event.preventDefault();
    var element = player(box);
    box.replaceChild(element, link);
    box.removeAttribute("data-embed-src");
    box.classList.add("embed-loaded");
    element.focus();
  });
})();
