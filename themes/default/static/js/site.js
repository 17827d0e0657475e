// With JavaScript on, the header offers the search box instead of the plain topics link.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form.site-search").forEach(function (form) { form.hidden = false; });
  document.querySelectorAll("a.search-fallback").forEach(function (link) { link.hidden = true; });
});
