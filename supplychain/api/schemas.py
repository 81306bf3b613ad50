"""Shared marshmallow pieces for the API schemas."""

from __future__ import annotations

from datetime import UTC

from marshmallow import Schema, ValidationError, fields, validate

MAX_ID = 2_147_483_647
ID_RANGE = validate.Range(min=1, max=MAX_ID, error="Must be a whole number from 1 to 2147483647.")
CURSOR_RANGE = validate.Range(min=0, max=MAX_ID, error="Must be a whole number from 0 to 2147483647.")


class Text(fields.String):
    """A string that the database can store: no NUL characters, valid Unicode, bounded length."""

    def __init__(self, *args, max_length: int = 200, **kwargs):
        super().__init__(*args, validate=validate.Length(max=max_length, error="Too long."), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as error:
            raise ValidationError("Contains characters that are not allowed.") from error
        if "\x00" in text:
            raise ValidationError("Contains characters that are not allowed.")
        return text


class StrictSchema(Schema):
    """Unknown fields are refused (marshmallow's default, stated)."""

    class Meta:
        ordered = True


class UtcDateTime(fields.DateTime):
    """A moment in ISO 8601 with its UTC offset (SQLite hands back naive UTC values, PostgreSQL aware ones)."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)
