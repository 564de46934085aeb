// Progressive enhancement for /compare/: a click on a level highlights its translations in place,
// from the links embedded in the page (no request). Without this script the same click is a link
// that renders the page again with the highlights, so nothing depends on it.
(function () {
  "use strict";
  var dataNode = document.getElementById("compare-data");
  var chart = document.querySelector("svg.ladder-chart");
  if (!dataNode || !chart) return;
  var data = JSON.parse(dataNode.textContent);
  var panel = document.getElementById("translations");
  var sources = document.getElementById("provenance");

  function boxEl(id) {
    var all = chart.querySelectorAll("g.box");
    for (var i = 0; i < all.length; i++) if (all[i].getAttribute("data-box") === id) return all[i];
    return null;
  }

  function clear() {
    chart.classList.remove("focused");
    chart.querySelectorAll("g.box").forEach(function (g) {
      g.classList.remove("is-source", "is-target", "is-alt", "hover-target");
      var conf = g.querySelector(".conf");
      if (conf) conf.textContent = "";
    });
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function label(box) {
    return box.title + (box.code ? " (" + box.code + ")" : "");
  }

  function showPanel(id, links) {
    var box = data.boxes[id];
    panel.textContent = "";
    panel.appendChild(el("h2", label(box) + " at " + box.column + " translates to"));
    var table = el("table");
    var head = el("tr");
    ["Column", "Level", "Confidence", "Basis"].forEach(function (h) { head.appendChild(el("th", h)); });
    table.appendChild(el("thead")).appendChild(head);
    var body = table.appendChild(el("tbody"));
    links.forEach(function (link) {
      var target = data.boxes[link[0]];
      var row = el("tr", undefined, link[3] ? "" : "alt");
      row.appendChild(el("td", target.column));
      row.appendChild(el("td", (link[3] ? "" : "or ") + label(target)));
      row.appendChild(el("td", link[1].toFixed(2)));
      row.appendChild(el("td", link[2]));
      body.appendChild(row);
    });
    panel.appendChild(table);
    var provenance = box.provenance;
    var old = sources.querySelector(".level-sources");
    if (old) old.remove();
    if (provenance && provenance.sources) {
      var wrap = el("div", undefined, "level-sources");
      wrap.appendChild(el("p", label(box) + (provenance.note ? ": " + provenance.note : "")));
      var list = wrap.appendChild(el("ul", undefined, "sources"));
      provenance.sources.forEach(function (s) {
        var item = list.appendChild(el("li"));
        if (/^https?:\/\//.test(s.url)) {
          var a = item.appendChild(el("a", s.url));
          a.href = s.url;
          a.rel = "noopener noreferrer";
        } else {
          item.appendChild(document.createTextNode(s.url));
        }
        item.appendChild(document.createTextNode(" (read " + s.read_on + ")" + (s.claim ? ": " + s.claim : "")));
      });
      sources.insertBefore(wrap, sources.children[1] || null);
    }
  }

  function focus(id, push) {
    var source = boxEl(id);
    if (!source) return;
    clear();
    chart.classList.add("focused");
    source.classList.add("is-source");
    var links = data.links[id] || [];
    links.forEach(function (link) {
      var target = boxEl(link[0]);
      if (!target) return;
      if (link[3]) {
        target.classList.remove("is-alt");
        target.classList.add("is-target");
      } else if (!target.classList.contains("is-target")) {
        target.classList.add("is-alt");
      }
      var conf = target.querySelector(".conf");
      if (conf && (link[3] || !conf.textContent)) conf.textContent = link[1].toFixed(2);
    });
    showPanel(id, links);
    if (push) {
      var url = new URL(window.location.href);
      url.searchParams.set("focus", id);
      window.history.replaceState(null, "", url.pathname + url.search + "#chart");
    }
  }

  // Hovering a level (while none is chosen) outlines what it translates to, as a preview.
  function hover(id, on) {
    if (chart.classList.contains("focused")) return;
    (data.links[id] || []).forEach(function (link) {
      var target = link[3] && boxEl(link[0]);
      if (target) target.classList.toggle("hover-target", on);
    });
  }

  chart.addEventListener("mouseover", function (event) {
    var box = event.target.closest("g.box");
    if (box) hover(box.getAttribute("data-box"), true);
  });
  chart.addEventListener("mouseout", function (event) {
    var box = event.target.closest("g.box");
    if (box) hover(box.getAttribute("data-box"), false);
  });

  // A printout shows every company's sources, not only the ones opened on screen.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("#provenance details").forEach(function (d) { d.open = true; });
  });

  chart.addEventListener("click", function (event) {
    var link = event.target.closest("a.box-link");
    if (!link) return;
    event.preventDefault();
    var box = link.querySelector("g.box");
    if (box) focus(box.getAttribute("data-box"), true);
  });
})();
