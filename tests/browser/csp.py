"""Watching a browser for Content-Security-Policy violations.

Chromium reports a violation as a `securitypolicyviolation` event in the page (its "Refused to ..."
console line goes to the browser's log, which Playwright does not pass on), so every context gets an
init script, run in every frame, that turns each event into a console message the test collects.
"""
from __future__ import annotations

PREFIX = "CSP violation:"
LISTENER = f"""
document.addEventListener("securitypolicyviolation", (event) => {{
  console.error(`{PREFIX} ${{event.effectiveDirective}} refused ${{event.blockedURI || "an inline"}}`
                + ` at ${{event.sourceFile || event.documentURI}}:${{event.lineNumber}} on ${{event.documentURI}}`);
}});
"""


def watch_csp(browser) -> list[str]:
    """Watch every context `browser.new_context` makes from now on; the returned list fills with the
    violations any of their pages meets (and any "Refused to ..." line that does reach the console)."""
    violations: list[str] = []
    new_context = browser.new_context

    def on_console(message) -> None:
        if message.text.startswith(PREFIX) or "Refused to" in message.text:
            violations.append(message.text)

    def watched_new_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        context.add_init_script(LISTENER)
        context.on("console", on_console)
        return context

    browser.new_context = watched_new_context
    return violations
