"""The staff menu in a few groups, so it fits a laptop screen in every language (issue 13, D3/D6).

Each blueprint still declares its entries as (endpoint, label, roles) in MENU; this module only
says which drop-down an endpoint belongs to. An endpoint without a group (a new area's page)
stays a top-level entry, so nothing declared disappears from the menu.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

GROUP_LABELS = {
    "registry": _l("Suppliers"),
    "evidence": _l("Due diligence"),
    "scoring": _l("Evaluations"),
    "reports": _l("Reports"),
    "admin": _l("Administration"),
}
GROUP_OF = {
    "suppliers.index": "registry", "relationships.search": "registry", "supplier_import.upload": "registry",
    "blacklist.index": "registry", "spend.index": "registry", "contractors.index": "registry",
    "pledges.index": "evidence", "certificates.index": "evidence", "trainings.index": "evidence",
    "incidents.index": "evidence", "corrective_actions.index": "evidence", "removals.index": "evidence",
    "campaigns.index": "evidence",
    "screening.due": "evidence", "screening.import_results": "evidence",
    "evaluations.index": "scoring", "evaluations.dual_sourcing": "scoring", "schemes.index": "scoring",
    "reports.index": "reports", "disclosure.index": "reports", "audit_log.index": "reports",
    "disclosure_editor.figures": "reports", "disclosure_editor.policies": "reports",
    "disclosure_editor.narratives": "reports",
    "admin.user_list": "admin", "admin.category_list": "admin", "requirements.index": "admin",
    "organisations.index": "admin", "integration.client_list": "admin", "integration.rule_list": "admin",
    "risk_tiers.index": "admin",
    "audits.index": "evidence", "audits.plan": "evidence", "audits.checklists_index": "admin",
}


@dataclass
class MenuEntry:
    """A top-level entry: a link (one item) or a drop-down (several)."""

    key: str
    label: object
    items: list[tuple[str, object]] = field(default_factory=list)


def for_role(menu: Iterable[tuple[str, object, tuple[str, ...]]], role: str) -> list[MenuEntry]:
    """The entries a role sees, grouped, in the order their first item was declared."""
    entries: list[MenuEntry] = []
    groups: dict[str, MenuEntry] = {}
    for endpoint, label, roles in menu:
        if role not in roles:
            continue
        group = GROUP_OF.get(endpoint)
        if group is None:
            entries.append(MenuEntry(endpoint, label, [(endpoint, label)]))
            continue
        if group not in groups:
            groups[group] = MenuEntry(group, GROUP_LABELS[group])
            entries.append(groups[group])
        groups[group].items.append((endpoint, label))
    return entries
