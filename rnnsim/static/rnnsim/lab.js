// Keep each parameter's slider and number box showing the same value.
"use strict";

document.addEventListener("input", (event) => {
  const partner = event.target.dataset && event.target.dataset.sync && document.getElementById(event.target.dataset.sync);
  if (partner) partner.value = event.target.value;
});
