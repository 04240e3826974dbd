// Copying text for the reader: the clipboard where the browser allows it, else the text selected in a
// field for them to copy themselves (the demo's share link, the builder's snippet, config and link).

/**
 * Copies `text` to the clipboard. Where that is refused, shows `field` (which holds the text),
 * focused and selected. Resolves to whether the text was copied.
 */
export async function copyOrSelect(text, field) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    field.hidden = false;
    field.focus();
    field.select();
    return false;
  }
}
