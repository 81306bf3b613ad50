"""The hidden optimistic-lock field every edit form carries (issue 14)."""

from wtforms import HiddenField


class VersionedForm:
    """Mixin: ``version_id`` is the record's version when the form was opened (filled by ``obj=record``)."""

    version_id = HiddenField()
