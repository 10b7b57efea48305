// The intelligence network drawing (cytoscape.js, vendored). The tables beside it carry the same
// information for screen readers and print; the data (labels already filtered by access) comes from
// a JSON script element, never from the page's markup.
(function () {
  "use strict";
  function draw() {
    var holder = document.getElementById("network-drawing");
    if (!holder || !window.cytoscape) { return; }
    var data = document.getElementById(holder.getAttribute("data-graph-id"));
    if (!data) { return; }
    var elements = JSON.parse(data.textContent);
    if (!elements.length) { holder.hidden = true; return; }
    var shapes = { child: "ellipse", person: "diamond", vehicle: "round-rectangle", phone: "triangle",
                   social: "triangle", place: "hexagon" };
    var colours = { child: "#1d70b8", person: "#d4351c", vehicle: "#505a5f", phone: "#912b88",
                    social: "#912b88", place: "#00703c" };
    window.cytoscape({
      container: holder,
      elements: elements,
      autoungrabify: false,
      wheelSensitivity: 0.2,
      layout: { name: "cose", animate: false, padding: 20, nodeRepulsion: 9000 },
      style: [
        { selector: "node", style: {
          "label": "data(label)", "font-size": 11, "text-wrap": "wrap", "text-max-width": 120,
          "text-valign": "bottom", "text-margin-y": 4, "width": 26, "height": 26,
          "shape": function (n) { return shapes[n.data("kind")] || "ellipse"; },
          "background-color": function (n) { return colours[n.data("kind")] || "#505a5f"; } } },
        { selector: "node[?concern]", style: { "border-width": 3, "border-color": "#ffdd00" } },
        { selector: "edge", style: {
          "width": 1.5, "line-color": "#b1b4b6", "curve-style": "bezier", "label": "data(label)",
          "font-size": 9, "text-rotation": "autorotate", "color": "#505a5f" } },
        { selector: "edge[?conditional]", style: { "line-style": "dashed", "line-color": "#d4351c" } }
      ]
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
