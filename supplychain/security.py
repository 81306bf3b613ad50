"""Access control and HTTP security headers."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def roles_required(*roles: str):
    """Allow a view only to logged-in users with one of the roles (anonymous → login, others → 403)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            from .extensions import login_manager

            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles
        return wrapped

    return decorator


STAFF = ("admin", "procurement", "reviewer", "auditor")
EDITORS = ("admin", "procurement")


def add_security_headers(response):
    """Headers on every response: CSP without inline scripts, nosniff, no framing, no referrer leaks."""
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    return response
