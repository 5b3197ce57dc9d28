"use strict";
// Step through the steps in the JSON above: forward in recording order, then backward in
// the engine's order. Everything the page shows comes from that JSON.
(function () {
  const data = JSON.parse(document.getElementById("tinygrad-edu-steps").textContent);
  const steps = data.steps, tensors = data.tensors;
  const byId = (id) => document.getElementById(id);
  const slider = byId("slider"), where = byId("where"), panel = byId("panel");
  slider.max = String(steps.length - 1);

  // When each tensor is made (forward) and when its gradient is complete (backward):
  // complete once the last op that used it has passed its gradient back.
  const madeAt = {}, gradAt = {};
  steps.forEach((s, i) => {
    if (s.phase === "forward") { madeAt[s.output] = i; return; }
    if (!(s.output in gradAt)) gradAt[s.output] = i;
    s.inputs.forEach((input) => { if (tensors[input].grad !== null || tensors[input].grad_summary) gradAt[input] = i; });
  });
  const nodeOf = (id) => byId(id);                        // a drawn tensor's node
  const opNodeOf = (id) => byId("op" + id.slice(1));      // the node of the op that made it

  const madeBy = {};
  steps.forEach((s) => { if (s.phase === "forward") madeBy[s.output] = s.op; });
  function label(id) {
    const t = tensors[id];
    const name = t.name || (t.role === "number" ? "a number" : t.role === "op" ? `the output of ${madeBy[id]}` : t.role);
    return t.path && t.path !== name ? `${name} (${t.path})` : name;        // W1 (0.weight): the code's name beside
  }

  function number(x) {
    return typeof x === "number" ? Number(x.toPrecision(6)).toString() : String(x);
  }

  function arrayHtml(id, kind) {
    const t = tensors[id], values = kind === "grad" ? t.grad : t.value;
    const shape = t.shape.length ? t.shape.join("×") : "scalar";
    if (values === null) {
      const text = kind === "grad" ? t.grad_summary : t.summary;
      return `<div class="large" data-tensor="${id}" data-kind="${kind}">${shape} ${t.dtype}: ${text || "none"}</div>`;
    }
    // A vector is shown eight to a line, so that a long one wraps instead of running off the panel.
    const chunks = (list) => list.length <= 8 ? [list] :
      Array.from({ length: Math.ceil(list.length / 8) }, (_, i) => list.slice(8 * i, 8 * i + 8));
    const rows = !Array.isArray(values) ? [[values]] : !Array.isArray(values[0]) ? chunks(values) :
      values.map((row) => (Array.isArray(row) ? row.flat(Infinity) : [row]));
    const cells = rows.map((row) => "<tr>" + row.map((v) => `<td>${number(v)}</td>`).join("") + "</tr>").join("");
    return `<table class="array ${kind}" data-tensor="${id}" data-kind="${kind}" title="${shape} ${t.dtype}">` +
      `${cells}</table>`;
  }

  function escapeText(text) {
    const div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  // Steps are counted from 1 to N on screen; the address and body.dataset.step count from 0.
  function panelHtml(s, n) {
    const head = `<h2>step ${n + 1} of ${steps.length} · ${s.phase}</h2>` +
      `<p><b>${escapeText(s.op)}</b> → ${escapeText(label(s.output))}</p>` +
      `<p class="formula">${escapeText(s.formula)}</p>` +
      (s.target ? `<h3>target: ${escapeText(label(s.target))}</h3>` + arrayHtml(s.target, "value") : "");
    if (s.phase === "forward") {
      return head + s.inputs.map((i) => `<h3>in: ${escapeText(label(i))}</h3>` + arrayHtml(i, "value")).join("") +
        `<h3>out: ${escapeText(label(s.output))}</h3>` + arrayHtml(s.output, "value");
    }
    const back = s.inputs.filter((i) => tensors[i].grad !== null || tensors[i].grad_summary);
    return head + `<h3>dZ arriving: the gradient of ${escapeText(label(s.output))}</h3>` + arrayHtml(s.output, "grad") +
      (back.length ? back.map((i) => `<h3>passed back to ${escapeText(label(i))} (its gradient, all paths summed)` +
        `</h3>` + arrayHtml(i, "grad")).join("") : "<h3>no input needs a gradient</h3>");
  }

  function show(n) {
    n = Math.max(0, Math.min(steps.length - 1, Number.isFinite(n) ? Math.round(n) : 0));
    const s = steps[n];
    document.body.dataset.step = String(n);
    showInAddress(n);
    slider.value = String(n);
    where.textContent = `step ${n + 1} of ${steps.length}: ${s.phase} · ${s.op}`;
    document.querySelectorAll("#graph g.node").forEach((g) => g.classList.remove("pending", "current", "io", "has-grad"));
    for (const id in tensors) {
      const node = nodeOf(id), op = opNodeOf(id);
      const pending = s.phase === "forward" && id in madeAt && madeAt[id] > n;
      const hasGrad = s.phase === "backward" && id in gradAt && gradAt[id] <= n;
      [node, op].forEach((g) => { if (g && pending) g.classList.add("pending"); });
      if (node && hasGrad) node.classList.add("has-grad");
    }
    const current = opNodeOf(s.output);
    if (current) current.classList.add("current");
    s.inputs.concat([s.output]).forEach((id) => { const node = nodeOf(id); if (node) node.classList.add("io"); });
    panel.innerHTML = panelHtml(s, n);
  }

  // The address names the step so that it can be linked: a nicety. Where the page has no
  // address of its own (an iframe's srcdoc in a notebook) the browser refuses, and the page goes on.
  function showInAddress(n) {
    if (location.hash === "#step=" + n) return;
    try {
      history.replaceState(null, "", "#step=" + n);
    } catch (refused) {
      // nothing to do: the step is still shown
    }
  }

  function stepFromAddress() {
    const match = /^#step=(-?\d+)$/.exec(location.hash);
    return match ? Number(match[1]) : 0;
  }

  const current = () => Number(document.body.dataset.step);
  byId("first").onclick = () => show(0);
  byId("prev").onclick = () => show(current() - 1);
  byId("next").onclick = () => show(current() + 1);
  byId("last").onclick = () => show(steps.length - 1);
  slider.oninput = () => show(Number(slider.value));
  window.addEventListener("hashchange", () => show(stepFromAddress()));
  document.addEventListener("keydown", (event) => {
    if (event.target === slider) return;                  // the slider moves itself with the arrow keys
    const moves = { ArrowRight: current() + 1, ArrowLeft: current() - 1, Home: 0, End: steps.length - 1 };
    if (event.key in moves) { event.preventDefault(); show(moves[event.key]); }
  });

  // Zoom and pan: the drawing is scaled and moved inside its frame.
  const frame = byId("graph"), canvas = byId("canvas"), svg = canvas.querySelector("svg");
  let scale = 1, x = 0, y = 0;
  const place = () => { canvas.style.transform = `translate(${x}px, ${y}px) scale(${scale})`; };
  function fitWidth() {
    const width = svg.getBoundingClientRect().width / scale;
    scale = Math.min(1.5, (frame.clientWidth - 16) / width);
    x = 8; y = 8;
    place();
  }
  function zoom(factor, cx, cy) {
    x = cx - (cx - x) * factor; y = cy - (cy - y) * factor; scale *= factor;
    place();
  }
  byId("fit").onclick = fitWidth;
  byId("zoom-in").onclick = () => zoom(1.25, frame.clientWidth / 2, frame.clientHeight / 2);
  byId("zoom-out").onclick = () => zoom(0.8, frame.clientWidth / 2, frame.clientHeight / 2);
  frame.addEventListener("wheel", (event) => {
    event.preventDefault();
    const box = frame.getBoundingClientRect();
    zoom(event.deltaY < 0 ? 1.1 : 1 / 1.1, event.clientX - box.left, event.clientY - box.top);
  }, { passive: false });
  let drag = null;
  frame.addEventListener("pointerdown", (event) => {
    drag = { px: event.clientX, py: event.clientY, x, y };
    frame.classList.add("dragging");
  });
  window.addEventListener("pointermove", (event) => {
    if (!drag) return;
    x = drag.x + event.clientX - drag.px; y = drag.y + event.clientY - drag.py;
    place();
  });
  window.addEventListener("pointerup", () => { drag = null; frame.classList.remove("dragging"); });

  fitWidth();
  show(stepFromAddress());
})();
