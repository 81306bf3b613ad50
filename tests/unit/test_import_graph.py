"""The import graph has no circle (module-level and function-level imports alike), and the layers keep
their direction: services, commands and jobs read time from supplychain.clock, never from a view module,
and jobs never import the app factory (the worker entry point hands the app over)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("app.py", "supplychain", "forms", "reports", "config")


def _modules() -> dict[str, Path]:
    files: list[Path] = []
    for name in PACKAGES:
        path = ROOT / name
        files += [path] if path.suffix == ".py" else sorted(path.rglob("*.py"))
    found = {}
    for file in files:
        parts = list(file.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = file
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, file in modules.items():
        package = name if file.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")
                    up = up[: len(up) - node.level + 1] if node.level > 1 else up
                    base = ".".join(up + ([node.module] if node.module else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return circles


def test_the_import_graph_has_no_circle():
    assert _circles(_graph()) == []


def test_nothing_below_the_views_imports_a_view_and_jobs_do_not_import_the_app():
    graph = _graph()
    for name, targets in graph.items():
        if name.startswith(("supplychain.services", "supplychain.commands", "supplychain.jobs", "reports")):
            assert not {t for t in targets if t.startswith("supplychain.views")}, name
    assert "app" not in graph["supplychain.jobs"]


def test_the_worker_hands_its_app_to_the_jobs(app):
    """Outside an app context a job runs in the app its worker entry point handed over."""
    import pytest

    from supplychain import jobs

    previous = jobs._app
    try:
        jobs.use_app(None)
        with pytest.raises(RuntimeError, match="supplychain.worker.AppWorker"):
            jobs._worker_app()
        jobs.use_app(app)
        assert jobs._worker_app() is app
    finally:
        jobs.use_app(previous)


def test_the_worker_entry_point_is_an_rq_worker():
    """README's `rq worker --worker-class supplychain.worker.AppWorker` names a real RQ worker class."""
    from rq.worker import SimpleWorker

    from supplychain.worker import AppWorker

    assert issubclass(AppWorker, SimpleWorker)


# Real time only where it must be real: the clock itself, the ORM column default and a backup's file times.
REAL_TIME_ALLOWED = {"supplychain.clock", "supplychain.models.base", "supplychain.services.core.backup"}


def _reads_the_time_directly(node: ast.AST) -> bool:
    """`date.today()`, `datetime.now(...)`, `datetime.utcnow()` or `datetime.today()`."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    owner = node.func.value
    return isinstance(owner, ast.Name) and (owner.id, node.func.attr) in {
        ("date", "today"), ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today")}


def test_time_comes_from_the_clock_module():
    """DESIGN.md: services, commands, jobs and views read today and now from supplychain.clock, so a
    test or a command's --today sets the day for everything."""
    offenders = []
    for name, file in _modules().items():
        if name in REAL_TIME_ALLOWED or not name.startswith("supplychain"):
            continue
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if _reads_the_time_directly(node):
                offenders.append(f"{file.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
