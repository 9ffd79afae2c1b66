// Progressive enhancement only: every page works without this file.
// Copy buttons: <button data-copy="input-id" hidden> copies that field's value, or selects it when the clipboard is
// unavailable. They are rendered hidden, because without this script they would do nothing; shown here.
for (const button of document.querySelectorAll("button[data-copy][hidden]")) button.hidden = false;

// What a copy did, said to screen readers through a polite live region (a page may bring its own #copy-status).
function copyStatus() {
  let region = document.getElementById("copy-status");
  if (!region) {
    region = document.createElement("p");
    region.id = "copy-status";
    region.className = "visually-hidden";
    region.setAttribute("role", "status");
    document.body.append(region);
  }
  return region;
}
const status = copyStatus();

document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  if (!field) return;
  field.focus();
  field.select();
  const label = button.textContent;
  let message;
  try {
    await navigator.clipboard.writeText(field.value);
    button.textContent = "Copied";
    message = "Copied to the clipboard";
  } catch {
    document.execCommand && document.execCommand("copy");
    button.textContent = "Selected — press Ctrl+C";
    message = "Selected; press Ctrl+C to copy";
  }
  // Emptied first, so a second copy of the same thing is announced again.
  status.textContent = "";
  setTimeout(() => { status.textContent = message; }, 50);
  setTimeout(() => { button.textContent = label; }, 2000);
});
