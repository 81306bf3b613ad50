"""Every model, imported here so Alembic and the metadata see every table."""

from .audit import AuditEntry
from .base import Base
from .supplier import STATUSES, Supplier, SupplierContact, SupplyCategory, supplier_categories
from .user import ROLES, STAFF_ROLES, User

# isort: split
# Due-diligence evidence (issue 3).
from .attachments import Attachment
from .blacklist import BLACKLIST_REASONS, SOCIAL_REASONS, BlacklistEntry
from .certifications import CERT_TYPES, VERIFICATION_METHODS, Certification
from .incidents import (
    ACTION_STATUSES,
    INCIDENT_CATEGORIES,
    INCIDENT_SEVERITIES,
    INCIDENT_STATUSES,
    CorrectiveAction,
    Incident,
)
from .pledges import PLEDGE_KINDS, PLEDGE_METHODS, IntegrityPledge, PledgeTemplate
from .requirements import REQUIREMENT_KINDS, CategoryRequirement
from .training import ESG_TOPICS, TRAINING_MODES, TRAINING_TOPICS, TrainingAttendance, TrainingSession

# isort: split
# Schemes, screening, evaluations and annual certificates (issue 4).
from .evaluation import (
    CERTIFICATE_KINDS,
    EVALUATION_KINDS,
    EVALUATION_STATUSES,
    PERIOD_TYPES,
    AnnualCertificate,
    Evaluation,
    EvaluationApproval,
)
from .scheme import SchemeVersion
from .screening import IntegrityScreening

__all__ = [
    "AuditEntry", "Base", "ROLES", "STAFF_ROLES", "STATUSES", "Supplier", "SupplierContact",
    "SupplyCategory", "User", "supplier_categories",
    # Due-diligence evidence (issue 3).
    "ACTION_STATUSES", "Attachment", "BLACKLIST_REASONS", "BlacklistEntry", "CERT_TYPES",
    "CategoryRequirement", "Certification", "CorrectiveAction", "ESG_TOPICS", "INCIDENT_CATEGORIES",
    "INCIDENT_SEVERITIES",
    "INCIDENT_STATUSES", "Incident", "IntegrityPledge", "PLEDGE_KINDS", "PLEDGE_METHODS", "PledgeTemplate",
    "REQUIREMENT_KINDS", "SOCIAL_REASONS", "TRAINING_MODES", "TRAINING_TOPICS", "TrainingAttendance",
    "TrainingSession", "VERIFICATION_METHODS",
    # Schemes, screening, evaluations and annual certificates (issue 4).
    "AnnualCertificate", "CERTIFICATE_KINDS", "EVALUATION_KINDS", "EVALUATION_STATUSES", "Evaluation",
    "EvaluationApproval", "IntegrityScreening", "PERIOD_TYPES", "SchemeVersion",
]
