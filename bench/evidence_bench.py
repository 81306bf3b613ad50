"""Evidence import benchmark (issue 15): N suppliers, then N certificates, N past evaluations and N pledges
(each signed by one of eight subsidiaries, named in an org column, so each opens a relationship) imported as
GBK files with Chinese headers, as `flask evidence import` does.

    .venv/bin/python -m bench.evidence_bench --rows 100000
    .venv/bin/python -m bench.evidence_bench --rows 100000 --db postgresql://postgres@127.0.0.1:5432/EMPTY_DB

Prints figures; it does not pass or fail. SQLite runs in a fresh file under bench/out/, removed after (or
--db FILE, kept); a PostgreSQL URL must name an empty database. See bench/README.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.database import DB_HELP, OUT, analyze, open_database, server_cpu, url_from_argument

TODAY = date(2025, 12, 31)


def _gbk_csv(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("gb18030")


def run(count: int, seed: int, url: str) -> None:
    """Register `count` suppliers, then time importing one certificate, past evaluation and pledge for each."""
    from sqlalchemy import exists, select

    from supplychain import scope
    from supplychain.models import Organisation, Supplier
    from supplychain.services.imports import evidence_import, importer
    from supplychain.services.registry import categories

    from . import datagen

    session, engine = open_database(url)
    if session.scalar(select(exists().where(Supplier.id.is_not(None)))):
        raise SystemExit("the database already holds suppliers: give an empty one")
    categories.ensure_defaults(session)
    session.commit()
    rows = datagen.supplier_rows(count, seed=seed, today=TODAY)
    plan, _result = importer.import_file(session, "suppliers.csv", datagen.to_csv(rows), None, TODAY)
    if not plan.ok:
        raise SystemExit(f"supplier import failed: {plan.errors[0]}")
    session.commit()
    root = scope.root(session)
    subsidiaries = [f"SUB{n:02d}" for n in range(1, 9)]
    session.add_all(Organisation(code=code, name_zh=f"子公司{code}", kind="subsidiary", home_province="500000",
                                 parent_id=root.id) for code in subsidiaries)
    session.commit()
    rng = random.Random(seed)
    names = [row["name_zh"] for row in rows]
    codes = [row["credit_code"] for row in rows]
    certificates = _gbk_csv(
        ["统一社会信用代码", "供应商名称", "证书类型", "证书编号", "发证机构", "认证范围", "发证日期", "有效期至"],
        [[code, "" if code else name, rng.choice(("ISO 9001", "ISO 14001", "ISO 45001", "安全生产许可证")),
          f"C-{index:07d}", "中国质量认证中心", "机械加工", (TODAY - timedelta(days=rng.randint(30, 900))).isoformat(),
          (TODAY + timedelta(days=rng.randint(30, 900))).isoformat()]
         for index, (code, name) in enumerate(zip(codes, names, strict=True))])
    history = _gbk_csv(["统一社会信用代码", "供应商名称", "考核年度", "等级", "得分"],
                       [[code, "" if code else name, "2024年度", rng.choice("ABC"), rng.randint(60, 99)]
                        for code, name in zip(codes, names, strict=True)])
    pledges = _gbk_csv(["统一社会信用代码", "供应商名称", "承诺书类型", "模板版本", "签署人", "签署日期", "有效期至",
                        "签约单位"],
                       [[code, "" if code else name, rng.choice(("廉洁承诺书", "廉政责任书", "反商业贿赂承诺书")),
                         "纸质", f"签署人{index}", (TODAY - timedelta(days=rng.randint(30, 900))).isoformat(),
                         (TODAY + timedelta(days=rng.randint(30, 900))).isoformat(), rng.choice(subsidiaries)]
                        for index, (code, name) in enumerate(zip(codes, names, strict=True))])
    server = server_cpu(url)  # PostgreSQL's backends (same machine); None on SQLite
    for kind, data in (("certificates", certificates), ("evaluations", history), ("pledges", pledges)):
        analyze(session)  # the rows loaded before (suppliers, then each kind) known to the planner
        server0 = server()
        cpu0, t0 = time.process_time(), time.perf_counter()
        plan, saved = evidence_import.import_file(session, kind, f"{kind}.csv", data, None, TODAY)
        if saved is None:
            raise SystemExit(f"{kind}: {plan.errors[:3]}")
        session.commit()
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        print(f"{kind}: {count:,} rows in {wall:.2f} s = {count / wall:,.0f} rows/s; CPU {cpu:.2f} s = "
              f"{count / cpu:,.0f} rows per CPU second; saved {saved:,}")
        if server0 is not None:
            server_seconds = server() - server0
            print(f"  PostgreSQL backends' CPU (from /proc): {server_seconds:.2f} s; app and server together "
                  f"{count / (cpu + server_seconds):,.0f} rows per CPU second")
    session.remove()
    engine.dispose()


def main(argv: list[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="suppliers, and records of each kind")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--db", help=DB_HELP)
    args = parser.parse_args(argv)
    if args.db:
        run(args.rows, args.seed, url_from_argument(args.db))
        return
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=OUT, prefix="evidence-bench-") as folder:
        run(args.rows, args.seed, url_from_argument(str(Path(folder) / "bench.sqlite3")))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
