// Progressive enhancement only: every page works without this file.
// Copy buttons: <button data-copy="input-id"> copies that input's value, or selects it when the clipboard is unavailable.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  if (!field) return;
  field.focus();
  field.select();
  const label = button.textContent;
  try {
    await navigator.clipboard.writeText(field.value);
    button.textContent = "Copied";
  } catch {
    document.execCommand && document.execCommand("copy");
    button.textContent = "Selected — press Ctrl+C";
  }
  setTimeout(() => { button.textContent = label; }, 2000);
});
