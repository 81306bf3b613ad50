"""A group's first import, loaded as pg_restore loads a dump: the indexes that refuse nothing
and the foreign keys under the new suppliers are built once at the end instead of row by row.

Importing 100,000 suppliers into an empty registry cost PostgreSQL about as much CPU as the whole app
(docs/speed.md, "Large imports"), and three things were most of it:
- the trigram index of the suppliers' search text, which takes a hundred entries per supplier one at a time,
  but builds in about half the time once all rows are in;
- the other indexes that are not unique (the list's filter index holds the search text too): 4.5 s to keep
  up row by row against 1.6 s to build on 100,000 suppliers;
- the foreign keys of the rows that hang off each new supplier (contacts, categories, relationships, their
  categories, qualifications, risk tiers): one look-up and row lock per referencing row, half a million in all,
  where adding the key again afterwards checks every row in one join.

So when an import creates at least `MIN_ROWS` suppliers and at least as many as the registry holds (a first
import, or one that more than doubles the registry), those indexes and foreign keys of the tables it writes are
dropped inside the import's transaction and created again, with the same names and definitions, before it
commits. Rolled back, the drops are rolled back with it (DDL is transactional on PostgreSQL and SQLite). The unique keys
(credit code, name, one relationship per organisation) stay, so a duplicate is still refused, and only keys
between the tables the import writes are touched, never those to users, organisations or categories.

The price: until the import commits, other transactions cannot read the suppliers (an ACCESS EXCLUSIVE
lock), as during pg_restore. That is acceptable for a first import, which nobody else is working with yet;
the locks are asked for with a short `LOCK_TIMEOUT`, and when another transaction holds them that long the
import goes on the ordinary way instead of making everyone wait.

SQLite keeps its foreign keys (a look-up by primary key per row, which costs little there), but its indexes that
refuse nothing are made again at the end too: kept up row by row they were a fifth of a 100,000-row first
import's time. There the import's write transaction already keeps every other writer out and readers see the
registry as it was before (WAL), so no lock is added, and the tables every change writes (`shared`: the audit
log, the change feed) get the same treatment when they hold no more rows than the import creates suppliers. On
PostgreSQL those stay as they are: locking them would stop every other user's work, a login included.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Table, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from supplychain.bulk_insert import execute_in_turn

log = logging.getLogger(__name__)

MIN_ROWS = 20_000
LOCK_TIMEOUT = "3s"


@dataclass
class _Dropped:
    indexes: list[tuple[str, str]]  # (table, CREATE INDEX statement as the database gives it)
    constraints: list[tuple[str, str, str]]  # (table, constraint name, definition)


@contextmanager
def _setting(connection, name: str, value: str) -> Iterator[None]:
    """A server setting changed for the statements of the block only (in this transaction)."""
    old = connection.execute(text("SELECT current_setting(:name)"), {"name": name}).scalar()
    connection.execute(text("SELECT set_config(:name, :value, true)"), {"name": name, "value": value})
    yield
    connection.execute(text("SELECT set_config(:name, :value, true)"), {"name": name, "value": old})


def _at_most(session: Session, table: Table, rows: int) -> bool:
    """Whether `table` holds no more than `rows` rows (counting stops after one more)."""
    return session.execute(select(func.count()).select_from(
        select(text("1")).select_from(table).limit(rows + 1).subquery())).scalar_one() <= rows


def _worth_it(session: Session, parent: Table, new_rows: int) -> bool:
    return new_rows >= MIN_ROWS and _at_most(session, parent, new_rows)


def _drop_sqlite(session: Session, tables: Sequence[Table]) -> _Dropped:
    """SQLite: note and drop the tables' indexes that refuse nothing, inside the transaction.

    The sqlite3 module opens a transaction only before a row is written, so one is begun here first: a DROP
    outside it would be committed at once and survive a rollback."""
    connection = session.connection()
    if not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    preparer = connection.dialect.identifier_preparer
    indexes = []
    for table in tables:
        # origin "c": made by CREATE INDEX (not a primary key's or a UNIQUE constraint's), and not unique.
        for _seq, name, unique, origin, *_partial in connection.exec_driver_sql(
                f"PRAGMA index_list({table.name})").all():
            if not unique and origin == "c":
                indexes.append((table.name, connection.execute(
                    text("SELECT sql FROM sqlite_master WHERE name = :name"), {"name": name}).scalar_one()))
                connection.exec_driver_sql(f"DROP INDEX {preparer.quote(name)}")
    return _Dropped(indexes, [])


def _drop(session: Session, parent: Table, children: Sequence[Table]) -> _Dropped:
    """Lock the tables, note the definitions, drop; raises OperationalError when a lock is not had in time."""
    connection = session.connection()
    names = [parent.name, *(child.name for child in children)]
    preparer = connection.dialect.identifier_preparer
    with _setting(connection, "lock_timeout", LOCK_TIMEOUT):
        connection.exec_driver_sql(f"LOCK TABLE {', '.join(map(preparer.quote, names))} IN ACCESS EXCLUSIVE MODE")
    # Every index that refuses nothing (neither unique nor a constraint's), the trigram index among them.
    indexes = connection.execute(text(
        "SELECT indexrelid::regclass::text, indrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
        " WHERE indrelid = ANY(CAST(:tables AS regclass[])) AND NOT indisunique AND NOT indisprimary"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid) ORDER BY 1"),
        {"tables": names}).all()
    # Only the keys from a written table to one of those tables: the rows the import adds under its suppliers.
    constraints = [tuple(row) for row in connection.execute(text(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE contype = 'f' AND conrelid = ANY(CAST(:children AS regclass[]))"
        " AND confrelid = ANY(CAST(:targets AS regclass[])) ORDER BY conname"),
        {"children": [child.name for child in children], "targets": names})]
    for table, name, _definition in constraints:
        connection.exec_driver_sql(f"ALTER TABLE {table} DROP CONSTRAINT {preparer.quote(name)}")
    if indexes:
        connection.exec_driver_sql(f"DROP INDEX {', '.join(name for name, _table, _definition in indexes)}")
    return _Dropped([(table, definition) for _name, table, definition in indexes], constraints)


def _restore(session: Session, dropped: _Dropped) -> None:
    connection = session.connection()
    for _table, statement in dropped.indexes:
        connection.exec_driver_sql(statement)
    preparer = connection.dialect.identifier_preparer
    for table, name, definition in dropped.constraints:  # each checks every row once, in one join
        connection.exec_driver_sql(f"ALTER TABLE {table} ADD CONSTRAINT {preparer.quote(name)} {definition}")


class Loading:
    """What `first_import` yields: whether checks were deferred, and the call that builds the parent's
    indexes as soon as its rows are in."""

    def __init__(self, session: Session, parent: Table, dropped: _Dropped | None) -> None:
        self._session, self._parent, self._dropped = session, parent, dropped

    @property
    def deferred(self) -> bool:
        return self._dropped is not None

    def parent_written(self) -> None:
        """Every new row of the parent is in (handed over): build its indexes now. Inside a pipelined block on
        PostgreSQL they are built after the COPYs handed over so far, while the caller builds the rows under
        the new parents, which queue behind them (the trigram index alone takes about as long as building
        those rows)."""
        if self._dropped is None:
            return
        built = [statement for table, statement in self._dropped.indexes if table == self._parent.name]
        self._dropped.indexes = [(table, statement) for table, statement in self._dropped.indexes
                                 if table != self._parent.name]
        execute_in_turn(self._session, built)


@contextmanager
def first_import(session: Session, parent: Table, children: Sequence[Table], new_rows: int,
                 shared: Sequence[Table] = ()) -> Iterator[Loading]:
    """Inside the block, `new_rows` rows go into `parent` and rows under them into `children` (and rows into
    `shared`, tables every change writes). When it is worth it, their indexes that are not unique (and on
    PostgreSQL the foreign keys among these tables) are dropped first and made again when the block ends
    without an error (after an error the caller rolls back, which restores them); the `Loading` yielded says
    whether, and builds the parent's indexes early."""
    if not _worth_it(session, parent, new_rows):
        yield Loading(session, parent, None)
        return
    if session.get_bind().dialect.name == "sqlite":
        dropped = _drop_sqlite(session, [parent, *children,
                                         *(table for table in shared if _at_most(session, table, new_rows))])
    else:
        try:
            with session.begin_nested():
                dropped = _drop(session, parent, children)
        except OperationalError as error:  # lock_timeout: someone is reading the registry; load the usual way
            log.info("first import: tables busy (%s), loading without deferring checks", error.orig)
            yield Loading(session, parent, None)
            return
    yield Loading(session, parent, dropped)
    _restore(session, dropped)
