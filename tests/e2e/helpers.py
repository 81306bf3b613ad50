"""Helpers for browser tests."""

from tests.evidence_factories import PDF
from tests.factories import PASSWORD


def log_in(page, email: str) -> None:
    """Log in through the real form with the shared test password and wait for the home page."""
    page.goto("/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/")


def open_tab(browser, base_url: str, locale: str):
    """A fresh tab with its own cookies. Motion is reduced: Bootstrap scrolls smoothly otherwise, and an element
    still gliding into view when Playwright clicks makes the click land elsewhere (a flaky radio in CI)."""
    context = browser.new_context(base_url=base_url, locale=locale, reduced_motion="reduce")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    return tab


def answer_everything(page, questionnaire) -> None:
    """The best answer to every question, with a PDF wherever evidence may be due."""
    for question in questionnaire.questions:
        key = f"q-{question.id}"
        if question.qtype in ("yes_no", "single"):
            best = max(question.options, key=lambda o: o.points)
            page.check(f"input[name='{key}'][value='{best.value}']")
        elif question.qtype == "multiple":
            for option in question.options:
                if option.points > 0:
                    page.check(f"input[name='{key}'][value='{option.value}']")
        elif question.qtype == "number":
            page.fill(f"input[name='{key}']", str(max(question.number_bands, key=lambda b: b[1])[0]))
        elif question.qtype == "text":
            page.fill(f"textarea[name='{key}']", "我们每季度检查分包商的劳动合同和工资发放记录。")
        if page.locator(f"input[name='{key}-file']").count():
            page.set_input_files(
                f"input[name='{key}-file']",
                files=[{"name": f"{question.code}证明.pdf", "mimeType": "application/pdf", "buffer": PDF}],
            )
