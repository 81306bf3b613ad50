"""Pure report renderers: data in, bytes out (no Flask, no database session).

- :func:`render_scorecard` — a supplier's evaluation scorecard (A4, zh/en/both)
- :func:`render_supplier_certificate` — the annual Qualified/Excellent Supplier certificate
- :func:`render_disclosure_pdf` — the yearly supply-chain disclosure (HKEX B5, GRI 308/414)
- :func:`render_signed_pledge` — a pledge as signed, with signatory, time, IP and text hash
- :mod:`reports.charts` — charts as ReportLab Drawings, for PDFs and (via ``to_svg``) web pages
- :mod:`reports.fonts` — the CJK font choice; :mod:`reports.data` — the input dataclasses
- :mod:`reports.samples` — realistic sample inputs for tests, benchmarks and previews

Every renderer is deterministic: the same input gives the same bytes (ReportLab invariant
mode, with the document's own timestamp as its PDF date).
"""

from .certificate import render_supplier_certificate
from .data import (
    ApprovalLine,
    CertificateData,
    CertificateLine,
    CorrectiveActionLine,
    DimensionScore,
    DisclosureData,
    DisclosureSection,
    Figure,
    IncidentLine,
    PeriodEvaluationLine,
    PledgeLine,
    RedFlag,
    RegionCount,
    ScorecardData,
    SignedPledgeData,
    TrendPoint,
)
from .disclosure import render_disclosure_pdf
from .fonts import FontChoice, register_cjk_font
from .pledge import render_signed_pledge, text_sha256
from .scorecard import render_scorecard

__all__ = [
    "ApprovalLine",
    "CertificateData",
    "CertificateLine",
    "CorrectiveActionLine",
    "DimensionScore",
    "DisclosureData",
    "DisclosureSection",
    "Figure",
    "FontChoice",
    "IncidentLine",
    "PeriodEvaluationLine",
    "PledgeLine",
    "RedFlag",
    "RegionCount",
    "ScorecardData",
    "SignedPledgeData",
    "TrendPoint",
    "register_cjk_font",
    "render_disclosure_pdf",
    "render_scorecard",
    "render_signed_pledge",
    "render_supplier_certificate",
    "text_sha256",
]
