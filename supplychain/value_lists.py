"""Long lists of values in SQL: slices for IN (...), or one array on PostgreSQL.

An import looks up every credit code and name of its file (100,000 of each): as IN lists of 500 that is
hundreds of statements, each a new text for the driver, which on PostgreSQL cost about a quarter of checking
a 100,000-row file (bench/README.md, issue 15). PostgreSQL takes the whole list as one array parameter
(`column = ANY(:values)`), a statement that stays the same whatever the list; SQLite has no arrays, so it
gets IN lists below its parameter limit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

CHUNK = 500  # IN (...) lists stay well below every database's parameter limit


def chunks(values: list, size: int = CHUNK) -> Iterable[list]:
    """The values in slices of at most `size`."""
    for start in range(0, len(values), size):
        yield values[start:start + size]


def member_conditions(session: Session, column, values: Sequence) -> Iterator[ColumnElement[bool]]:
    """Conditions that together select the rows whose `column` is one of `values` (none for no values): one
    `column = ANY(array)` on PostgreSQL, `column IN (...)` slices of CHUNK elsewhere. Run one statement per
    condition."""
    values = list(values)
    if not values:
        return
    if session.get_bind().dialect.name == "postgresql":
        yield column == any_(bindparam(None, values, type_=ARRAY(column.type)))
        return
    for chunk in chunks(values):
        # One expanding parameter: `in_(chunk)` checked each of the values for being SQL (0.3 s per 100,000).
        yield column.in_(bindparam(None, chunk, type_=column.type, expanding=True))
