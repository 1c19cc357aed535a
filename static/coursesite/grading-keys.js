// Keyboard shortcuts of the rubric grading page: the digits 1-9 tick or untick the rubric item shown
// with that number, and "s" saves the grade and opens the next ungraded answer (the form's own "Save and
// grade the next"). Digits and "s" are left alone while the grader types in a text field (the
// adjustment, the comment); Ctrl+Enter (Cmd+Enter on a Mac) saves from anywhere, the comment too.
// A static file rather than an inline script, so that the Content-Security-Policy can refuse inline
// scripts (script-src 'self').
(function () {
  const form = document.getElementById("grade-form");
  if (!form) return;
  const notTyped = ["checkbox", "radio", "button", "submit", "reset"];
  const typing = (el) => el instanceof HTMLElement && (el.isContentEditable || el.tagName === "TEXTAREA"
    || el.tagName === "SELECT" || (el.tagName === "INPUT" && !notTyped.includes(el.type)));
  let sent = false;
  const saveAndNext = () => {
    if (sent) return;                 // a second key press while the first save is on its way
    sent = true;
    form.requestSubmit(form.querySelector('button[type="submit"]'));
  };
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.isComposing || event.repeat) return;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      saveAndNext();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key === "s" || event.key === "S") {
      event.preventDefault();
      saveAndNext();
    } else if (/^[1-9]$/.test(event.key)) {
      const box = form.querySelectorAll('input[type="checkbox"][name="items"]')[Number(event.key) - 1];
      if (box) {
        event.preventDefault();
        box.click();                  // as a mouse click: the box toggles and fires its events
      }
    }
  });
})();
