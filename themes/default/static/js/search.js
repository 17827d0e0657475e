// The /search/ page: queries the Pagefind index in the browser (no server), with a topic
// filter. ?q=words&topic=slug in the address make a search shareable.
(function () {
  "use strict";
  var PAGE_SIZE = 10;
  // What the script says, in English. A page in another language carries its own words as
  // data-t-* attributes of .search-page (data-t-no-match-in for noMatchIn), those that differ.
  var WORDS = {
    searching: "Searching…",
    matching: "Briefs matching “{query}”:",
    matchingIn: "Briefs matching “{query}” in {topic}:",
    noMatch: "No briefs match “{query}”.",
    noMatchIn: "No briefs match “{query}” in {topic}.",
    failed: "Search could not load. Browse the topics or the archive instead."
  };

  function say(root, name, values) {
    var text = root.dataset["t" + name.charAt(0).toUpperCase() + name.slice(1)] || WORDS[name];
    return text.replace(/\{(\w+)\}/g, function (all, key) {
      return values && Object.prototype.hasOwnProperty.call(values, key) ? values[key] : all;
    });
  }

  function excerptNodes(html) {
    // Keep only text and <mark> from Pagefind's excerpt, whatever it contains.
    var doc = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
    var out = document.createDocumentFragment();
    doc.body.firstChild.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  function resultItem(data, topicTitles) {
    var item = document.createElement("li");
    var heading = document.createElement("h2");
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.meta.title || data.url;
    heading.appendChild(link);
    item.appendChild(heading);
    var excerpt = document.createElement("p");
    excerpt.className = "excerpt";
    excerpt.appendChild(excerptNodes(data.excerpt || ""));
    item.appendChild(excerpt);
    var topics = (data.meta.topics || "").split(" ").filter(Boolean);
    if (topics.length) {
      var meta = document.createElement("p");
      meta.className = "meta";
      meta.textContent = topics.map(function (t) { return topicTitles[t] || t; }).join(" · ");
      item.appendChild(meta);
    }
    return item;
  }

  function folded(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  // A partition of the index that lacks a word answers with its loosest match (a page
  // holding "a" for "aceptable"), and scores from different partitions compare loosely: the
  // pages whose excerpt marks a word searched for come first, in Pagefind's order.
  function wordsFirst(matches, query) {
    var terms = folded(query).split(/\s+/).filter(Boolean);
    function related(word) {  // the same word, another form of it, or its beginning
      return terms.some(function (term) {
        var common = 0;
        while (common < term.length && term[common] === word[common]) { common++; }
        return word.length >= Math.min(3, term.length) &&
          common >= Math.min(5, term.length, word.length);
      });
    }
    var strong = [], weak = [];
    matches.forEach(function (d) {
      var marks = (d.excerpt || "").match(/<mark>([^<]*)<\/mark>/g) || [];
      var hit = marks.some(function (m) { return related(folded(m.replace(/<\/?mark>/g, ""))); });
      (hit ? strong : weak).push(d);
    });
    return strong.concat(weak);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector(".search-page");
    if (!root) { return; }
    var form = root.querySelector(".search-form");
    var input = root.querySelector("#search-q");
    var select = root.querySelector("#search-topic");
    var status = root.querySelector(".search-status");
    var list = root.querySelector(".search-results");
    var topicTitles = {};
    Array.prototype.forEach.call(select.options, function (o) { if (o.value) { topicTitles[o.value] = o.textContent; } });
    root.querySelector(".search-noscript").hidden = true;
    form.hidden = false;

    // A large site's index comes in partitions (see parts.json beside pagefind.js): the
    // first is this bundle, the others are merged into it before the first search.
    var engine = import(root.dataset.bundle + "pagefind.js").then(function (pagefind) {
      return pagefind.options({ baseUrl: root.dataset.base }).then(function () {
        return fetch(root.dataset.bundle + "parts.json").then(function (response) {
          return response.ok ? response.json() : { parts: [] };
        }, function () { return { parts: [] }; });
      }).then(function (listing) {
        return Promise.all((listing.parts || []).map(function (part) {
          return pagefind.mergeIndex(root.dataset.bundle + part, { baseUrl: root.dataset.base });
        }));
      }).then(function () { return pagefind; });
    });
    var generation = 0;

    function run() {
      var query = input.value.trim();
      var topic = select.value;
      var params = new URLSearchParams();
      if (query) { params.set("q", query); }
      if (topic) { params.set("topic", topic); }
      history.replaceState(null, "", params.toString() ? "?" + params : window.location.pathname);
      var mine = ++generation;
      if (!query) { list.textContent = ""; status.textContent = ""; return; }
      status.textContent = say(root, "searching");
      engine.then(function (pagefind) { return pagefind.search(query); }).then(function (search) {
        var matches = [];
        var index = 0;
        function next() {
          // load result data a few at a time until a page of matches for the topic is found
          if (mine !== generation) { return null; }
          if (matches.length >= PAGE_SIZE || index >= search.results.length) { return matches; }
          var batch = search.results.slice(index, index + PAGE_SIZE);
          index += batch.length;
          return Promise.all(batch.map(function (r) { return r.data(); })).then(function (datas) {
            datas.forEach(function (d) {
              var topics = (d.meta.topics || "").split(" ");
              if (!topic || topics.indexOf(topic) >= 0) { matches.push(d); }
            });
            return next();
          });
        }
        return next();
      }).then(function (matches) {
        if (matches === null || mine !== generation) { return; }
        matches = wordsFirst(matches, query);
        list.textContent = "";
        matches.slice(0, PAGE_SIZE).forEach(function (d) { list.appendChild(resultItem(d, topicTitles)); });
        var name = (matches.length ? "matching" : "noMatch") + (topic ? "In" : "");
        status.textContent = say(root, name, { query: query, topic: topicTitles[topic] });
      }).catch(function () {
        status.textContent = say(root, "failed");
      });
    }

    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    if (params.get("topic") && topicTitles[params.get("topic")]) { select.value = params.get("topic"); }
    var timer = null;
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 250); });
    select.addEventListener("change", run);
    form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
    run();
  });
})();
