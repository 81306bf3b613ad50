"""Every model, imported here so Alembic and the metadata see every table."""

from .audit import AuditEntry
from .base import Base
from .supplier import STATUSES, Supplier, SupplierContact, SupplyCategory, supplier_categories
from .user import ROLES, STAFF_ROLES, User

# isort: split
# Due-diligence evidence (issue 3).
from .attachments import Attachment, AttachmentBlob
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
from .screening import ScreeningResult

# isort: split
# Supplier portal: invitations, portal members, change requests, self-assessment questionnaire (issue 5).
from .invitation import INVITATION_STATUSES, Invitation
from .portal import CHANGE_REQUEST_FIELDS, CHANGE_REQUEST_STATUSES, ChangeRequest, PortalMember
from .saq import (
    CHOICE_TYPES,
    QUESTION_TYPES,
    QUESTIONNAIRE_STATUSES,
    RESPONSE_STATUSES,
    REVIEW_STATES,
    SAQ_THEMES,
    Questionnaire,
    SaqAnswer,
    SaqOption,
    SaqQuestion,
    SaqResponse,
)

# isort: split
# Background jobs and issued scorecards (issue 6).
from .reports import JOB_STATUSES, BackgroundJob, ScorecardIssue

# isort: split
# The group: organisations, supplier relationships, per-category qualification (issue 9).
from .organisation import (
    ORGANISATION_KINDS,
    QUALIFICATION_STATUSES,
    RELATIONSHIP_STATUSES,
    Organisation,
    SupplierQualification,
    SupplierRelationship,
    relationship_categories,
)

# isort: split
# Integration: API clients, the changes feed, purchase checks (issue 10).
from .integration import (
    API_SCOPES,
    PURCHASE_OUTCOMES,
    PURCHASE_REASONS,
    ApiCall,
    ApiClient,
    PurchaseCheck,
    PurchaseRule,
    SupplierChange,
)

# isort: split
# Getting a group's existing data in (issue 15).
from .imports import EvaluationHistory, ImportMapping

# isort: split
# Purchasing data: spend ledger and purchase receipts (issue 10).
from .purchasing import ReceiptLine, SpendLine

# isort: split
from .disclosure import (  # disclosure editor (issue 12)
    DISCLOSURE_FIGURE_KINDS,
    DisclosureFigure,
    DisclosureNarrative,
    DisclosurePublication,
    SupplyChainPolicy,
)

# isort: split
# Daily work: notifications (issue 13).
from .notifications import (
    ACTION_REQUEST_STATUSES,
    CHANNELS,
    EMAIL_MODES,
    ActionRequest,
    Notification,
    NotificationDelivery,
    NotificationSetting,
)

# isort: split
# Risk-based due diligence (issue 11).
from .risk import RISK_TIERS, SUPPLIER_TYPES, RiskTierSetting, SupplierRisk
from .risk_tiers import RISK_FACTORS, RISK_LEVELS, RegionRisk, RiskScoring

# isort: split
# Audits and inspections (issue 11, part 3).
from .audits import (
    AUDIT_KINDS,
    AUDIT_STATUSES,
    CHECKLIST_RESULTS,
    FINDING_DIMENSIONS,
    FINDING_IMPACTS,
    FINDING_SEVERITIES,
    Audit,
    AuditFinding,
    ChecklistItem,
    ChecklistTemplate,
)

# isort: split
# Questionnaire campaigns (issue 11).
from .campaigns import (
    CAMPAIGN_CONSEQUENCES,
    CAMPAIGN_STATUSES,
    REMINDER_CHANNELS,
    Campaign,
    CampaignRecipient,
    CampaignReminder,
)

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
    "EvaluationApproval", "ScreeningResult", "PERIOD_TYPES", "SchemeVersion",
    # Supplier portal (issue 5).
    "CHANGE_REQUEST_FIELDS", "CHANGE_REQUEST_STATUSES", "CHOICE_TYPES", "ChangeRequest",
    "INVITATION_STATUSES", "Invitation", "PortalMember", "QUESTIONNAIRE_STATUSES", "QUESTION_TYPES",
    "Questionnaire", "RESPONSE_STATUSES", "REVIEW_STATES", "SAQ_THEMES", "SaqAnswer", "SaqOption",
    "SaqQuestion", "SaqResponse",
    # Background jobs and issued scorecards (issue 6).
    "BackgroundJob", "JOB_STATUSES", "ScorecardIssue",
    # The disclosure editor's figures (issue 12).
    "DISCLOSURE_FIGURE_KINDS", "DisclosureFigure", "DisclosureNarrative", "DisclosurePublication",
    "SupplyChainPolicy",
    # The group (issue 9).
    "ORGANISATION_KINDS", "Organisation", "QUALIFICATION_STATUSES", "RELATIONSHIP_STATUSES",
    "SupplierQualification", "SupplierRelationship", "relationship_categories",
    # Data safety (issue 14).
    "AttachmentBlob",
    # Integration (issue 10).
    "API_SCOPES", "ApiCall", "ApiClient", "PURCHASE_OUTCOMES", "PURCHASE_REASONS", "PurchaseCheck", "PurchaseRule",
    "SupplierChange",
    # Imports (issue 15).
    "EvaluationHistory", "ImportMapping",
    # Purchasing data (issue 10).
    "ReceiptLine", "SpendLine",
    # Daily work (issue 13).
    "ACTION_REQUEST_STATUSES", "ActionRequest", "CHANNELS", "EMAIL_MODES", "Notification",
    "NotificationDelivery", "NotificationSetting",
    # Risk-based due diligence (issue 11).
    "RISK_TIERS", "RiskTierSetting", "SUPPLIER_TYPES", "SupplierRisk",
    "RISK_FACTORS", "RISK_LEVELS", "RegionRisk", "RiskScoring",
    # Audits and inspections (issue 11, part 3).
    "AUDIT_KINDS", "AUDIT_STATUSES", "Audit", "AuditFinding", "CHECKLIST_RESULTS", "ChecklistItem",
    "ChecklistTemplate", "FINDING_DIMENSIONS", "FINDING_IMPACTS", "FINDING_SEVERITIES",
    # Questionnaire campaigns (issue 11).
    "CAMPAIGN_CONSEQUENCES", "CAMPAIGN_STATUSES", "Campaign", "CampaignRecipient", "CampaignReminder",
    "REMINDER_CHANNELS",
]
