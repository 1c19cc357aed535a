// A similar pair's page: a match's number lines up both hand-ins on that match, each column scrolled
// inside itself to the match's first line, and marks its lines. Without this script the numbers are
// plain links to the match in one column. A static file: the Content-Security-Policy refuses inline scripts.
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-show-match]");
  if (!link) return;
  const number = link.dataset.showMatch;
  const anchors = ["a", "b"].map((side) => document.getElementById(`${side}-match-${number}`)).filter(Boolean);
  if (!anchors.length) return;
  event.preventDefault();
  document.querySelectorAll("pre.code .line.current").forEach((line) => line.classList.remove("current"));
  for (const anchor of anchors) {
    const line = anchor.closest(".line"), code = line.closest("pre.code");
    code.scrollTop = Math.max(0, line.offsetTop - code.clientHeight / 4);
    code.querySelectorAll(`.line[data-matches~="${number}"]`).forEach((marked) => marked.classList.add("current"));
  }
  anchors[0].closest(".code-file").scrollIntoView({block: "start"});
  history.replaceState(null, "", `#a-match-${number}`);
});
