// Admin question templates: send the template, text and explanation being edited, show five variants.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  for (const widget of document.querySelectorAll("[data-question-template]")) {
    const form = widget.closest("form");
    const status = widget.querySelector("[data-template-status]");
    const samples = widget.querySelector("[data-template-samples]");
    widget.querySelector("[data-template-preview]").addEventListener("click", async () => {
      const body = new FormData();
      body.set("template", widget.querySelector("textarea").value);
      for (const name of ["text", "explanation"]) {
        const field = form.querySelector(`[name="${name}"]`);
        body.set(name, field ? field.value : "");
      }
      body.set("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
      status.textContent = "Drawing five variants and running the engine for each…";
      try {
        const response = await fetch(widget.dataset.previewUrl, { method: "POST", body });
        samples.innerHTML = await response.text(); // rendered and escaped by the server's template
        status.textContent = response.ok ? "Five sample variants:" : "The template has problems:";
      } catch (error) {
        status.textContent = `The preview failed: ${error.message}`;
      }
    });
  }
});
