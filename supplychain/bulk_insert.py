"""Inserting many rows of one table fast, with the values SQLAlchemy itself would store.

SQLAlchemy's Core `session.execute(insert(table), rows)` builds and processes a parameter set per row
(`construct_params`, then each column type's bind processor: SQLite's date and datetime formatting,
`json.dumps`), which was about a quarter of a 100,000-row supplier import's time (bench/README.md, issue 15
speed). Here each column's own bind processor (the same function SQLAlchemy would call) converts the
values, once per distinct date or timestamp and once per JSON object, Python-side column defaults are
applied as Core would (scalars, or the callable per row), and the rows go to the driver as they are: one
`executemany` on SQLite, multi-row `INSERT … VALUES (…), (…)` statements on PostgreSQL (and wherever
RETURNING is asked for). So the stored values are the same as through Core; a test compares them.

ORM events do not see these statements: callers whose rows something listens for (the change feed and
the audit log) report them themselves (`audit.insert_entries`), and what must know that a table changed
(the list's remembered counts) registers with `on_insert`.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from itertools import chain
from operator import itemgetter

from sqlalchemy import Table, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

# Bound parameters per statement: below SQLite's default limit (32,766) and PostgreSQL's (65,535).
MAX_PARAMETERS = 30_000
MAX_ROWS_PER_STATEMENT = 1000
_NAMED = re.compile(r"%\((\w+)\)s")
_LISTENERS: list = []


def on_insert(listener):
    """Register `listener(session, table)`, called after rows went into `table` (usable as a decorator)."""
    _LISTENERS.append(listener)
    return listener


def _values_group(table: Table, columns: Sequence[str], dialect) -> tuple[str, str, list[str]]:
    """The statement up to VALUES, one row's placeholder group (positional, as the dialect writes it, with
    PostgreSQL's casts such as ::JSON) and the column of each placeholder."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
    text = compiled.string.split(" RETURNING ", 1)[0]
    head, group = text.split(" VALUES ", 1)
    if compiled.positional:
        order = list(compiled.positiontup or ())
    else:
        order = _NAMED.findall(group)
        group = _NAMED.sub("%s", group)
    if sorted(order) != sorted(columns):
        raise ValueError(f"unexpected parameters for {table.name}: {order}")
    return head, group, order


def _converters(table: Table, columns: Sequence[str], dialect) -> list:
    """Per column: None (the value goes as it is) or the type's bind processor, remembering what it gave."""
    converters = []
    for name in columns:
        processor = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        converters.append(None if processor is None else _remembering(processor))
    return converters


def _remembering(processor):
    """The processor, called once per distinct value: the same day or timestamp recurs on every row, and one
    list or dict (risk factors) may be shared by thousands of rows. Those objects stay alive in the caller's
    rows while the converter is used, so their ids are not reused meanwhile.

    `convert.column(values)` converts a whole column: when its values are hashable and of one type (None
    aside, which equals nothing else), the distinct ones are converted and the rest is a C-level look-up;
    otherwise value by value."""
    seen: dict = {}

    def convert(value):
        key = (id(value), None) if isinstance(value, (dict, list)) else (type(value), value)
        try:
            return seen[key]
        except KeyError:
            seen[key] = found = processor(value)
            return found
        except TypeError:  # unhashable and not a dict or list
            return processor(value)

    def column(values: list) -> list:
        try:
            distinct = set(values)
        except TypeError:  # dicts or lists (JSON): by identity (each object stays alive in `values`)
            found: dict[int, object] = {}
            converted = []
            for value in values:
                key = id(value)
                if key not in found:
                    found[key] = processor(value)
                converted.append(found[key])
            return converted
        if len(set(map(type, distinct)) - {type(None)}) > 1:  # 1 and True are one key of a set
            return [convert(value) for value in values]
        table = {value: convert(value) for value in distinct}
        return list(map(table.__getitem__, values))

    convert.column = column
    return convert


def _defaults(table: Table, given: Iterable[str]) -> dict:
    """Python-side defaults of the columns the rows leave out, as Core applies them (callables per row)."""
    given = set(given)
    found = {}
    for column in table.c:
        if column.name in given or column.default is None or column.primary_key and column.autoincrement:
            continue
        default = column.default
        if default.is_scalar:
            found[column.name] = (False, default.arg)
        elif default.is_callable:
            found[column.name] = (True, default.arg)
        else:
            raise ValueError(f"{table.name}.{column.name}: a SQL default; use insert() instead")
    return found


def _max_parameters(connection) -> int:
    """MAX_PARAMETERS, or less where this SQLite library was built with a lower limit (999 before 3.32)."""
    if connection.dialect.name == "sqlite":
        getlimit = getattr(connection.connection.dbapi_connection, "getlimit", None)
        if getlimit is not None:
            return min(MAX_PARAMETERS, getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    return MAX_PARAMETERS


def insert_rows(session: Session, table: Table, rows: list[dict], returning: Sequence[str] = ()) -> list[tuple]:
    """Insert `rows` (dicts with the same keys) into `table`, in order; the caller's session's transaction.

    With `returning` (column names) the inserted rows' values of those columns, in no guaranteed order.
    """
    if not rows:
        return []
    for listener in _LISTENERS:
        listener(session, table)
    connection = session.connection()
    dialect = connection.dialect
    defaults = _defaults(table, rows[0])
    head, group, columns = _values_group(table, [*rows[0], *defaults], dialect)
    converters = _converters(table, columns, dialect)
    # Column by column (C-level map and zip where possible), then zipped into rows: the cheapest way in Python.
    by_column = []
    for name, convert in zip(columns, converters, strict=True):
        if name in rows[0]:
            found = list(map(itemgetter(name), rows))
        elif defaults[name][0]:
            found = [defaults[name][1](None) for _row in rows]
        else:
            found = [defaults[name][1]] * len(rows)
        if convert is not None:
            found = convert.column(found)  # None too, as Core does (JSON null)
        by_column.append(found)
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        copied = _copy(connection, table, columns, converters, by_column, returning)
        if copied is not None:
            return copied
    parameters = list(zip(*by_column, strict=True))
    tail = f" RETURNING {', '.join(returning)}" if returning else ""
    cursor_rows: list[tuple] = []
    if dialect.name == "sqlite" and not returning:
        connection.exec_driver_sql(f"{head} VALUES {group}", parameters)
        return []
    per_statement = max(1, min(MAX_ROWS_PER_STATEMENT, _max_parameters(connection) // max(1, len(columns))))
    statements: dict[int, str] = {}
    for start in range(0, len(parameters), per_statement):
        batch = parameters[start:start + per_statement]
        sql = statements.get(len(batch))
        if sql is None:
            sql = statements[len(batch)] = f"{head} VALUES {', '.join([group] * len(batch))}{tail}"
        flat = tuple(chain.from_iterable(batch))
        result = connection.exec_driver_sql(sql, flat)
        if returning:
            cursor_rows.extend(tuple(found) for found in result)
    return cursor_rows

def _copy(connection, table: Table, columns: list[str], converters: list, by_column: list[list],
          returning: Sequence[str]) -> list[tuple] | None:
    """PostgreSQL with psycopg: the rows through `COPY … FROM STDIN` (None: not possible, use INSERT).

    Multi-row INSERT statements are too long for psycopg's statement cache, so psycopg rewrote every one of
    them in Python (its placeholder parsing was most of a large import's time), and the server parsed and
    planned each; COPY streams the values with psycopg's own (C) adaptation. JSON values (psycopg's Json
    wrappers, as SQLAlchemy's bind processor gives them) are written as the text psycopg's own dumper makes
    of them, once per wrapper: rows sharing one dict or list (risk factors, a relationship's audit change)
    are serialised once. Where RETURNING is asked for, the primary key is taken from the table's own
    sequence first (`nextval`, one query for all the rows) and the other returned columns are the given
    values, so only tables with a sequence-backed integer key, and returned columns stored as they are given
    (no bind processor), take this path.
    """
    names = list(columns)
    found: list[tuple] = []
    if returning:
        keys = list(table.primary_key.columns)
        converted = {name for name, convert in zip(columns, converters, strict=True) if convert is not None}
        if len(keys) != 1 or keys[0].name in columns or not set(returning) <= {keys[0].name, *columns} - converted:
            return None
        sequence = connection.exec_driver_sql(
            "SELECT pg_get_serial_sequence(%(table)s, %(column)s)",
            {"table": table.fullname, "column": keys[0].name}).scalar()
        if sequence is None:
            return None
        ids = sorted(connection.exec_driver_sql(
            "SELECT nextval(CAST(%(sequence)s AS regclass)) FROM generate_series(1, %(n)s)",
            {"sequence": sequence, "n": len(by_column[0])}).scalars())
        names = [keys[0].name, *columns]
        by_column = [ids, *by_column]
        found = list(zip(*(by_column[names.index(name)] for name in returning), strict=True))
    preparer = connection.dialect.identifier_preparer
    sql = (f"COPY {preparer.format_table(table)} ({', '.join(preparer.quote(table.c[name].name) for name in names)})"
           " FROM STDIN")
    dbapi_error = connection.dialect.loaded_dbapi.Error
    try:
        with connection.connection.dbapi_connection.cursor() as cursor:
            by_column = [_json_texts(cursor, values) for values in by_column]
            with cursor.copy(sql) as copy:
                write = copy.write_row
                for row in zip(*by_column, strict=True):
                    write(row)
    except dbapi_error as error:
        # The driver's error as SQLAlchemy raises it for any statement (a duplicate key: IntegrityError), so
        # callers handle a race lost during COPY as they do one lost during INSERT.
        raise DBAPIError.instance(sql, None, error, dbapi_error, dialect=connection.dialect) from error
    return found


def _json_texts(cursor, values: list) -> list:
    """A column's psycopg Json/Jsonb wrappers as the text psycopg's own dumper writes for them, each wrapper
    once; any other column as it is."""
    from psycopg.adapt import PyFormat  # only with psycopg, the only driver that takes this path
    from psycopg.types.json import Json, Jsonb

    if not isinstance(next((value for value in values if value is not None), None), Json | Jsonb):
        return values  # a JSON column holds wrappers (or None) only
    encoding = cursor.connection.info.encoding
    dumpers: dict[type, object] = {}
    texts: dict[int, str] = {}

    def text(value):
        if not isinstance(value, Json | Jsonb):
            return value
        key = id(value)  # the wrappers stay alive in `values` meanwhile, so their ids are not reused
        if key not in texts:
            kind = type(value)
            if kind not in dumpers:
                dumpers[kind] = cursor.adapters.get_dumper(kind, PyFormat.TEXT)(kind, cursor)
            texts[key] = bytes(dumpers[kind].dump(value)).decode(encoding)
        return texts[key]
    return [text(value) for value in values]
