"""The supplier self-assessment questionnaire (SAQ): versioned questionnaires, responses, reviewed answers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .attachments import Attachment
from .base import Base, TimestampMixin, utcnow
from .supplier import Supplier

# The sections of every questionnaire; each reviewed section score feeds the engine's saq_theme criteria.
SAQ_THEMES = ("environment", "labour_human_rights", "health_safety", "business_ethics", "management_systems",
              "sustainable_procurement")
QUESTION_TYPES = ("yes_no", "single", "multiple", "number", "text", "file")
# Types whose answer is one or more of the question's options.
CHOICE_TYPES = ("yes_no", "single", "multiple")
QUESTIONNAIRE_STATUSES = ("draft", "published", "retired")
RESPONSE_STATUSES = ("draft", "submitted", "clarification", "reviewed")
REVIEW_STATES = ("pending", "accepted", "clarification")


class Questionnaire(Base):
    """One version of a questionnaire; once published it never changes (responses point at it)."""

    __tablename__ = "saq_questionnaires"
    __table_args__ = (UniqueConstraint("code", "version", name="uq_saq_questionnaires_code_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    intro_zh: Mapped[str | None] = mapped_column(Text)
    intro_en: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    questions: Mapped[list[SaqQuestion]] = relationship(
        back_populates="questionnaire", cascade="all, delete-orphan",
        order_by="[SaqQuestion.position, SaqQuestion.id]",
    )

    def __repr__(self) -> str:
        return f"<Questionnaire {self.code} v{self.version} {self.status}>"


class SaqQuestion(Base):
    """A question of one section (theme): its type, how answers map to points, when evidence is required."""

    __tablename__ = "saq_questions"
    __table_args__ = (
        UniqueConstraint("questionnaire_id", "code", name="uq_saq_questions_questionnaire_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("saq_questionnaires.id", ondelete="CASCADE"),
                                                  index=True)
    code: Mapped[str] = mapped_column(String(20))
    theme: Mapped[str] = mapped_column(String(30))
    position: Mapped[int] = mapped_column(Integer, default=0)
    qtype: Mapped[str] = mapped_column(String(10))
    text_zh: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    help_zh: Mapped[str | None] = mapped_column(Text)
    help_en: Mapped[str | None] = mapped_column(Text)
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    # Text and file questions: points for an answer procurement accepts.
    points: Mapped[float] = mapped_column(Float, default=0)
    # Number questions: [[minimum, points], ...]; the highest minimum not above the answer gives the points.
    number_bands: Mapped[list] = mapped_column(JSON, default=list)
    unit: Mapped[str | None] = mapped_column(String(30))
    # Number and text questions: an answer needs a supporting file.
    evidence_required: Mapped[bool] = mapped_column(Boolean, default=False)

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="questions")
    options: Mapped[list[SaqOption]] = relationship(
        back_populates="question", cascade="all, delete-orphan",
        order_by="[SaqOption.position, SaqOption.id]", lazy="selectin",
    )

    def __repr__(self) -> str:
        return f"<SaqQuestion {self.code} {self.qtype}>"


class SaqOption(Base):
    """An answer a yes/no or choice question offers, with its points; some need evidence (ISO 14001 "yes")."""

    __tablename__ = "saq_options"
    __table_args__ = (UniqueConstraint("question_id", "value", name="uq_saq_options_question_value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("saq_questions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    value: Mapped[str] = mapped_column(String(40))
    label_zh: Mapped[str] = mapped_column(String(300))
    label_en: Mapped[str] = mapped_column(String(300))
    points: Mapped[float] = mapped_column(Float, default=0)
    evidence_required: Mapped[bool] = mapped_column(Boolean, default=False)

    question: Mapped[SaqQuestion] = relationship(back_populates="options")


class SaqResponse(TimestampMixin, Base):
    """A supplier's answers to one questionnaire version: draft → submitted → (clarification →) reviewed."""

    __tablename__ = "saq_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("saq_questionnaires.id", ondelete="RESTRICT"),
                                                  index=True)
    status: Mapped[str] = mapped_column(String(15), default="draft", index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submit_count: Mapped[int] = mapped_column(Integer, default=0)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The day the review was completed: the scoring engine uses the theme scores from that day on.
    reviewed_on: Mapped[date | None] = mapped_column(Date, index=True)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # {theme: 0..100} fixed when every answer is accepted.
    theme_scores: Mapped[dict | None] = mapped_column(JSON)
    total_score: Mapped[float | None] = mapped_column(Float)

    supplier: Mapped[Supplier] = relationship()
    questionnaire: Mapped[Questionnaire] = relationship()
    answers: Mapped[list[SaqAnswer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="SaqAnswer.id", lazy="selectin",
    )

    def __repr__(self) -> str:
        return f"<SaqResponse {self.id} supplier={self.supplier_id} {self.status}>"


class SaqAnswer(Base):
    """One answer with its points and procurement's review of it (accepted, or clarification asked)."""

    __tablename__ = "saq_answers"
    __table_args__ = (
        UniqueConstraint("response_id", "question_id", name="uq_saq_answers_response_question"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("saq_responses.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("saq_questions.id", ondelete="RESTRICT"), index=True)
    choices: Mapped[list] = mapped_column(JSON, default=list)
    number_value: Mapped[float | None] = mapped_column(Float)
    text_value: Mapped[str | None] = mapped_column(Text)
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    points: Mapped[float] = mapped_column(Float, default=0)
    review_state: Mapped[str] = mapped_column(String(15), default="pending")
    review_comment: Mapped[str | None] = mapped_column(Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    response: Mapped[SaqResponse] = relationship(back_populates="answers")
    question: Mapped[SaqQuestion] = relationship()
    attachment: Mapped[Attachment | None] = relationship()
