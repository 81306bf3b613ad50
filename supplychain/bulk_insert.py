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

import queue
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from itertools import chain
from operator import itemgetter

from sqlalchemy import Table, event, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

# Bound parameters per statement: below SQLite's default limit (32,766) and PostgreSQL's (65,535).
MAX_PARAMETERS = 30_000
MAX_ROWS_PER_STATEMENT = 1000
_NAMED = re.compile(r"%\((\w+)\)s")
_LISTENERS: list = []
_PIPELINE = "bulk_insert_pipeline"  # connection.info key of the pipelined block's thread
_RESERVED = "bulk_insert_reserved_ids"  # connection.info key: ids taken by reserve_ids, per table name


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
        prepared = _prepare_copy(connection, table, columns, converters, by_column, returning)
        if prepared is not None:
            names, by_column, found = prepared
            copy = partial(_copy, connection, table, names, by_column)
            pipeline = connection.info.get(_PIPELINE)
            if pipeline is None:
                copy()
            else:
                pipeline.submit(copy)
            return found
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

def _prepare_copy(connection, table: Table, columns: list[str], converters: list, by_column: list[list],
                  returning: Sequence[str]) -> tuple[list[str], list[list], list[tuple]] | None:
    """PostgreSQL with psycopg: the columns and values `_copy` writes, and the rows to return (None: COPY
    cannot give them, use INSERT).

    Where RETURNING is asked for, the primary key is taken from the table's own sequence first (`nextval`,
    one query for all the rows, or ids `reserve_ids` took before) and the other returned columns are the given
    values, so only tables with a sequence-backed integer key, and returned columns stored as they are given (no
    bind processor), take this path.
    """
    if not returning:
        return list(columns), by_column, []
    keys = list(table.primary_key.columns)
    converted = {name for name, convert in zip(columns, converters, strict=True) if convert is not None}
    if len(keys) != 1 or keys[0].name in columns or not set(returning) <= {keys[0].name, *columns} - converted:
        return None
    ids = _ids(connection, table, len(by_column[0]))
    if ids is None:
        return None
    names = [keys[0].name, *columns]
    by_column = [ids, *by_column]
    return names, by_column, list(zip(*(by_column[names.index(name)] for name in returning), strict=True))


def _ids(connection, table: Table, count: int) -> list[int] | None:
    """`count` new ids of `table` from its sequence, in order (None: its key has no sequence); reserved ones
    first."""
    reserved = connection.info.get(_RESERVED, {}).get(table.name, [])
    if len(reserved) >= count:
        taken, reserved[:] = reserved[:count], reserved[count:]
        return taken
    sequence = connection.exec_driver_sql(
        "SELECT pg_get_serial_sequence(%(table)s, %(column)s)",
        {"table": table.fullname, "column": next(iter(table.primary_key.columns)).name}).scalar()
    if sequence is None:
        return None
    return sorted(connection.exec_driver_sql(
        "SELECT nextval(CAST(%(sequence)s AS regclass)) FROM generate_series(1, %(n)s)",
        {"sequence": sequence, "n": count}).scalars())


def reserve_ids(session: Session, table: Table, count: int) -> None:
    """In a pipelined block on PostgreSQL, take `count` ids of `table` now, for `insert_rows` with RETURNING to
    use later: asking for them then would wait until every COPY queued by then (and the index builds queued
    after them) has ended, while the caller could go on building rows. Elsewhere nothing happens. The ids are
    the sequence's, so one reserved and never used is a gap, as after any rollback."""
    connection = session.connection()
    if count <= 0 or _PIPELINE not in connection.info:
        return
    ids = _ids(connection, table, count)
    if ids is not None:
        connection.info.setdefault(_RESERVED, {}).setdefault(table.name, []).extend(ids)


def execute_in_turn(session: Session, statements: Sequence[str]) -> None:
    """Run these SQL statements (DDL, no results) after the COPYs handed over so far: in a pipelined block in
    its thread, so that the caller goes on building rows meanwhile (an index build, say); elsewhere now."""
    connection = session.connection()
    pipeline = connection.info.get(_PIPELINE)
    if pipeline is None:
        for statement in statements:
            connection.exec_driver_sql(statement)
        return

    def run() -> None:
        with connection.connection.dbapi_connection.cursor() as cursor:
            for statement in statements:
                with _driver_errors(connection, statement):
                    cursor.execute(statement)
    pipeline.submit(run)


def _copy(connection, table: Table, names: list[str], by_column: list[list]) -> None:
    """The rows through `COPY … FROM STDIN` (PostgreSQL with psycopg).

    Multi-row INSERT statements are too long for psycopg's statement cache, so psycopg rewrote every one of
    them in Python (its placeholder parsing was most of a large import's time), and the server parsed and
    planned each; COPY streams the values with psycopg's own (C) adaptation. JSON values (psycopg's Json
    wrappers, as SQLAlchemy's bind processor gives them) are written as the text psycopg's own dumper makes
    of them, once per wrapper: rows sharing one dict or list (risk factors, a relationship's audit change)
    are serialised once.
    """
    preparer = connection.dialect.identifier_preparer
    sql = (f"COPY {preparer.format_table(table)} ({', '.join(preparer.quote(table.c[name].name) for name in names)})"
           " FROM STDIN")
    with _driver_errors(connection, sql), connection.connection.dbapi_connection.cursor() as cursor:
        by_column = [_json_texts(cursor, values) for values in by_column]
        with cursor.copy(sql) as copy:
            write = copy.write_row
            for row in zip(*by_column, strict=True):
                write(row)


@contextmanager
def _driver_errors(connection, sql: str) -> Iterator[None]:
    """The driver's errors as SQLAlchemy raises them for any statement (a duplicate key: IntegrityError), so
    callers handle a race lost during COPY as they do one lost during INSERT."""
    dbapi_error = connection.dialect.loaded_dbapi.Error
    try:
        yield
    except dbapi_error as error:
        raise DBAPIError.instance(sql, None, error, dbapi_error, dialect=connection.dialect) from error


class _Pipeline:
    """One thread that runs the COPYs handed to it, in order, on the connection they were prepared for."""

    def __init__(self) -> None:
        self._jobs: queue.Queue = queue.Queue()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="bulk-insert", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                if job is None:
                    return
                if self._error is None:  # after a failure the transaction is lost: skip the rest
                    job()
            except BaseException as error:  # noqa: BLE001 - handed to the caller's thread by wait()
                self._error = error
            finally:
                self._jobs.task_done()

    def submit(self, job) -> None:
        self._jobs.put(job)

    def wait(self, raise_error: bool = True) -> None:
        """Until every COPY handed over so far has ended; then its error, if one failed."""
        self._jobs.join()
        if raise_error and self._error is not None:
            raise self._error

    def cancel(self) -> None:
        """Skip what is still queued (the caller failed; its transaction is rolled back)."""
        self._error = self._error or RuntimeError("bulk insert cancelled")

    def close(self) -> None:
        self._jobs.put(None)
        self._thread.join()


@contextmanager
def pipelined(session: Session) -> Iterator[None]:
    """Inside the block, on PostgreSQL, `insert_rows` hands its COPY to a thread and returns, so the caller
    builds its next rows while the server stores these (a large import otherwise had the app and the server
    take turns, each idle half the time). The COPYs run in order; any other statement, commit or rollback on
    the session's connection first waits for them, and a COPY's error is raised there (or at the block's
    end). Elsewhere (SQLite) the block changes nothing."""
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name != "postgresql" or dialect.driver != "psycopg" or _PIPELINE in connection.info:
        yield
        return
    pipeline = connection.info[_PIPELINE] = _Pipeline()

    def wait_first(*_args, **_kwargs) -> None:
        pipeline.wait()

    def wait_quietly(*_args, **_kwargs) -> None:
        pipeline.wait(raise_error=False)  # a rollback goes ahead whatever failed

    listeners = (("before_cursor_execute", wait_first), ("commit", wait_first), ("rollback", wait_quietly))
    for name, listener in listeners:
        event.listen(connection, name, listener)
    try:
        yield
        pipeline.wait()
    except BaseException:
        pipeline.cancel()
        raise
    finally:
        pipeline.wait(raise_error=False)
        for name, listener in listeners:
            event.remove(connection, name, listener)
        del connection.info[_PIPELINE]
        connection.info.pop(_RESERVED, None)
        pipeline.close()


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
