"""Bilingual labels for the status and category codes the reports print.

A code not listed here is printed as given, so services may pass ready-made labels too."""

from __future__ import annotations

from .layout import Languages, bi

CERTIFICATE_STATUS = {
    "valid": ("有效", "Valid"),
    "expiring": ("即将到期", "Expiring"),
    "expired": ("已过期", "Expired"),
    "revoked": ("已撤销", "Revoked"),
    "suspended": ("已暂停", "Suspended"),
    "pending": ("待核验", "Pending"),
}

CORRECTIVE_ACTION_STATUS = {
    "open": ("待整改", "Open"),
    "in_progress": ("整改中", "In progress"),
    "overdue": ("已逾期", "Overdue"),
    "submitted": ("待验证", "Awaiting verification"),
    "verified": ("已验证", "Verified"),
    "closed": ("已关闭", "Closed"),
}

INCIDENT_CATEGORY = {
    "environmental": ("环境", "Environmental"),
    "labour": ("劳工", "Labour"),
    "labor": ("劳工", "Labour"),
    "safety": ("安全", "Safety"),
    "ethics": ("商业道德", "Ethics"),
    "quality": ("质量", "Quality"),
}

SEVERITY = {
    # The incident severities of supplychain.models.incidents: ONE set of words everywhere (forms, pages,
    # scorecards, disclosure), the Chinese grading 一般 / 重大 / 特别重大 (issue 13, D4).
    "minor": ("一般", "Minor"),
    "major": ("重大", "Major"),
    "critical": ("特别重大", "Critical"),
    "low": ("低", "Low"),
    "medium": ("中", "Medium"),
    "high": ("高", "High"),
}

DECISION = {
    "approved": ("通过", "Approved"),
    "rejected": ("驳回", "Rejected"),
    "returned": ("退回", "Returned"),
    "pending": ("待审", "Pending"),
}

#: Certificate statuses drawn as warnings.
WARN_STATUSES = frozenset({"expiring", "pending"})
BAD_STATUSES = frozenset({"expired", "revoked", "suspended"})


def pair(code: str, table: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """(zh, en) labels of a code; an unknown code is its own label in both languages."""
    return table.get((code or "").strip().lower(), (code or "", code or ""))


def coded(code: str, table: dict[str, tuple[str, str]], languages: Languages, sep: str = " / ") -> str:
    """The label of a code in the selected languages, or the code itself when unknown."""
    pair = table.get((code or "").strip().lower())
    if pair is None:
        return code or ""
    return bi(pair[0], pair[1], languages, sep)
