"""Helpers for browser tests."""

from tests.factories import PASSWORD


def log_in(page, email: str) -> None:
    """Log in through the real form with the shared test password and wait for the home page."""
    page.goto("/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/")
