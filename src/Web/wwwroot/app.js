// Small enhancements on top of pages that work without script: wheel zoom on the catalog map, a playlist that plays
// on, and a size check before a clip is uploaded.
"use strict";

(() => {
  const EXTENT = 1000;
  const MIN_SIZE = EXTENT / 64;

  // Catalog map: the wheel zooms about the pointer by rewriting the SVG viewBox; the address and the zoom/pan links
  // follow, so reloading or following a link keeps the view.
  for (const figure of document.querySelectorAll("[data-scatter]")) {
    const svg = figure.querySelector("svg");
    const template = svg.dataset.hrefTemplate;
    const baseRadius = Number(svg.dataset.pointRadius);
    const clamp = (value, low, high) => Math.min(Math.max(value, low), high);
    const format = (view) => view.map((value) => Math.round(value * 1000) / 1000).join(",");
    const current = () => svg.getAttribute("viewBox").split(/[\s,]+/).map(Number);

    const show = (view) => {
      const size = clamp(view[2], MIN_SIZE, EXTENT);
      const next = [clamp(view[0], 0, EXTENT - size), clamp(view[1], 0, EXTENT - size), size, size];
      svg.setAttribute("viewBox", next.join(" "));
      for (const circle of svg.querySelectorAll("circle")) {
        circle.setAttribute("r", String(baseRadius * size / EXTENT));
      }
      for (const link of figure.querySelectorAll(".plot-controls a")) {
        link.href = template.replace("VIEW", encodeURIComponent(format(target(link, next))));
      }
      history.replaceState(null, "", template.replace("VIEW", encodeURIComponent(format(next))));
    };

    const target = (link, [x, y, w, h]) => {
      if (link.dataset.zoom) {
        const f = Number(link.dataset.zoom);
        return [x + (w - w / f) / 2, y + (h - h / f) / 2, w / f, h / f];
      }
      if (link.dataset.pan) {
        const [right, down] = link.dataset.pan.split(",").map(Number);
        return [x + right * w, y + down * h, w, h];
      }
      return link.dataset.view.split(",").map(Number);
    };

    svg.addEventListener("wheel", (event) => {
      event.preventDefault();
      const [x, y, w, h] = current();
      const box = svg.getBoundingClientRect();
      const side = Math.min(box.width, box.height);
      // The pointer's position in plot coordinates stays put while the view scales around it.
      const px = x + ((event.clientX - box.left - (box.width - side) / 2) / side) * w;
      const py = y + ((event.clientY - box.top - (box.height - side) / 2) / side) * h;
      const factor = Math.exp(event.deltaY * 0.0015);
      const size = clamp(w * factor, MIN_SIZE, EXTENT);
      show([px - (px - x) * (size / w), py - (py - y) * (size / h), size, size]);
    }, { passive: false });
  }

  // Playlist path: when one preview ends, the next starts.
  for (const list of document.querySelectorAll("[data-playlist]")) {
    const players = [...list.querySelectorAll("audio")];
    players.forEach((player, i) => player.addEventListener("ended", () => players[i + 1]?.play()));
  }

  // Query by audio: say at once that a file is too large instead of uploading it first.
  for (const form of document.querySelectorAll("form[data-max-bytes]")) {
    const limit = Number(form.dataset.maxBytes);
    const problem = form.querySelector(".upload-problem");
    form.addEventListener("submit", (event) => {
      const file = form.querySelector("input[type=file]").files[0];
      if (file && file.size > limit) {
        event.preventDefault();
        problem.textContent = `“${file.name}” is ${(file.size / 1048576).toFixed(1)} MB; clips may be at most ${(limit / 1048576).toFixed(1)} MB.`;
        problem.hidden = false;
      } else {
        problem.hidden = true;
        form.querySelector("button[type=submit]").textContent = "Listening…";
      }
    });
  }
})();
