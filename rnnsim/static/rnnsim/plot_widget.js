// Admin plot picker: show the chosen experiment's parameters and preview its plot through the lab.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  for (const widget of document.querySelectorAll("[data-plot-spec]")) {
    const select = widget.querySelector("[data-plot-experiment]");
    const status = widget.querySelector("[data-plot-status]");
    const image = widget.querySelector("[data-plot-image]");
    const showParams = () => {
      for (const fieldset of widget.querySelectorAll("[data-plot-params]")) {
        fieldset.hidden = fieldset.dataset.plotParams !== select.value;
      }
    };
    select.addEventListener("change", showParams);
    widget.querySelector("[data-plot-preview]").addEventListener("click", async () => {
      if (!select.value) {
        status.textContent = "Choose an experiment first.";
        image.hidden = true;
        return;
      }
      const query = new URLSearchParams();
      for (const input of widget.querySelectorAll(`[data-plot-params="${select.value}"] input`)) {
        query.set(input.dataset.param, input.value);
      }
      status.textContent = "Rendering…";
      let response, body;
      try {
        response = await fetch(`${widget.dataset.previewBase}${select.value}/data.json?${query}`);
        body = await response.json();
      } catch (error) {
        status.textContent = `The preview failed${response ? ` (HTTP ${response.status})` : ""}: ${error.message}`;
        image.hidden = true;
        return;
      }
      if (!response.ok) {
        status.textContent = body.error || `The preview failed (HTTP ${response.status}).`;
        image.hidden = true;
        return;
      }
      image.src = body.svg;  // the lab draws SVG alone: one vector file, sharp at any size
      image.alt = body.alt;
      image.hidden = false;
      status.textContent = body.title_text;
    });
  }
});
