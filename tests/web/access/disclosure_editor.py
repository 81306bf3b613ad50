"""The disclosure editor: entered figures and narratives for editors, the policy register for all staff."""

from datetime import date

from supplychain.models import DisclosureFigure, DisclosureNarrative, SupplyChainPolicy
from tests.web.access import EDITORS, STAFF, allow

RULES = {
    "disclosure_editor.figures": {"GET": allow(EDITORS)},
    "disclosure_editor.new_figure": {"GET": allow(EDITORS), "POST": allow(EDITORS)},  # POST without fields: errors
    "disclosure_editor.edit_figure": {"GET": allow(EDITORS), "POST": allow(EDITORS)},
    "disclosure_editor.withdraw_figure": {"POST": allow(EDITORS, ok=302)},  # without a reason: refused, back
    "disclosure_editor.policies": {"GET": allow(STAFF)},
    "disclosure_editor.new_policy": {"GET": allow(EDITORS), "POST": allow(EDITORS)},
    "disclosure_editor.edit_policy": {"GET": allow(EDITORS), "POST": allow(EDITORS)},
    "disclosure_editor.policy_file": {"GET": allow(STAFF, ok=404)},  # the sample policy has no document
    "disclosure_editor.narratives": {"GET": allow(EDITORS)},
    "disclosure_editor.edit_narrative": {"GET": allow(EDITORS), "POST": allow(EDITORS)},
    "disclosure_editor.revert_narrative": {"POST": allow(EDITORS, ok=302)},
    "disclosure_editor.publish": {"POST": allow(EDITORS, ok=302)},  # 2024 is over: kept as published
}


def sample(session) -> dict:
    """A restated figure, a policy and an edited narrative of the whole group, for 2024."""
    figure = DisclosureFigure(year=2024, code="KPI.total_suppliers", kind="restatement", value=3,
                              reason="a supplier was missed", entered_by="ESG office")
    policy = SupplyChainPolicy(title_zh="供应商管理办法", number="集团采〔2023〕12号", effective_on=date(2023, 3, 1))
    narrative = DisclosureNarrative(year=2024, section="B5.3", language="en", text="We audited suppliers.",
                                    entered_by="ESG office")
    session.add_all([figure, policy, narrative])
    session.flush()
    return {"figure_id": figure.id, "policy_id": policy.id, "section": "B5.3", "language": "en"}
