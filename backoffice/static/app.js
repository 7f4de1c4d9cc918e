// Copy buttons: <button data-copy-target="#id">Copy</button>
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const source = document.querySelector(button.dataset.copyTarget);
  if (!source) return;
  navigator.clipboard.writeText(source.value || source.textContent.trim()).then(function () {
    button.textContent = "Copied";
  });
});
// Confirmation step: <form data-confirm="Are you sure?">
document.addEventListener("submit", function (event) {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
