"""Security headers added to every response.

The API answers data, never pages, so its Content-Security-Policy forbids everything.
The interactive documentation (/docs, /redoc) is an HTML page that loads Swagger UI or
ReDoc from the jsDelivr CDN and runs a small inline script, so it gets a policy that
allows exactly those sources.
"""

CDN = "https://cdn.jsdelivr.net"
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
DOCS_POLICY = "; ".join(
    [
        "default-src 'none'",
        f"script-src 'self' 'unsafe-inline' {CDN}",
        f"style-src 'self' 'unsafe-inline' {CDN} https://fonts.googleapis.com",
        "font-src https://fonts.gstatic.com",
        "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ]
)
COMMON = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
API_HEADERS = [*COMMON, (b"content-security-policy", API_POLICY.encode())]
DOCS_HEADERS = [*COMMON, (b"content-security-policy", DOCS_POLICY.encode())]


def security_headers(path: str, docs_paths: frozenset[str]) -> list[tuple[bytes, bytes]]:
    return DOCS_HEADERS if path in docs_paths else API_HEADERS
