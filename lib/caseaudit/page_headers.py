"""The security headers every response of the workbook's server carries: Voila pages, the list of
dashboards, static files, the kernel API, the login page, refusals and 404s alike.

A council's IT security review asks for them by name: no framing by other sites (clickjacking of a
form that saves under someone's name), no content-type sniffing (a file served as text run as
script), no referrer leaking a page's address (which may hold the token or an auditor id) to
another site, and a content security policy that keeps the page to the workbook's own server.

They are added as a tornado output transform, the one hook every response passes on its way out,
whichever handler wrote it (jupyter_server's handlers set a CSP of their own, tornado's 404 and
static-file handlers none): a header set handler by handler would miss some.
"""

from __future__ import annotations

from tornado.httputil import HTTPHeaders, HTTPServerRequest
from tornado.web import OutputTransform

#: The content security policy, source by source, with why each is allowed. Voila's page and its
#: ipywidgets are drawn by script from the server itself; nothing is loaded from elsewhere.
CONTENT_SECURITY_POLICY = "; ".join((
    # everything not named below comes from the workbook's server only
    "default-src 'self'",
    # Voila's page template runs inline scripts (its page configuration, the loader that starts
    # the widget manager, the workbook's accessibility script): without them the page stays
    # blank. No 'unsafe-eval': Voila and ipywidgets draw every page without it (the browser tests
    # watch for violations). The page's own cells never reach the browser as code.
    "script-src 'self' 'unsafe-inline'",
    # ipywidgets and JupyterLab's styles set style attributes and inline <style> blocks. Voila's
    # page also links Font Awesome from a CDN; its own bundle carries the same icons, and the
    # policy blocks the CDN so that no page tells another site who is reading it
    "style-src 'self' 'unsafe-inline'",
    # charts arrive as PNG images inlined in the page (data: URIs); icons are inline SVG
    "img-src 'self' data:",
    # JupyterLab's icon and text fonts are bundled, some as data: URIs
    "font-src 'self' data:",
    # the page talks to its kernel over a websocket to the same server, which 'self' covers in
    # every current browser (CSP level 3); the bare schemes ws: and wss: would allow any host
    "connect-src 'self'",
    # the widget manager's bundles start web workers from blob: URLs
    "worker-src 'self' blob:",
    # no plugins, no <base> pointing elsewhere, forms post only to the workbook
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    # no other site may frame a page (a hub on the same origin may)
    "frame-ancestors 'self'",
))

#: Every header, by name. X-Frame-Options says for older browsers what frame-ancestors says.
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class SecurityHeaders(OutputTransform):
    """Sets :data:`SECURITY_HEADERS` on every response, replacing any value a handler set (the
    jupyter_server handlers' own CSP is only ``frame-ancestors 'self'``)."""

    def __init__(self, request: HTTPServerRequest) -> None:
        super().__init__(request)

    def transform_first_chunk(self, status_code: int, headers: HTTPHeaders, chunk: bytes,
                              finishing: bool) -> tuple[int, HTTPHeaders, bytes]:
        for name, value in SECURITY_HEADERS.items():
            headers[name] = value
        return status_code, headers, chunk
