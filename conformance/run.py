"""Run Alembic 1.20.1's own test suite against the real Alembic and against alembic-django.

::

    python conformance/run.py                       # SQLite
    python conformance/run.py --dburi postgresql+psycopg://postgres@127.0.0.1/test_x
    python conformance/run.py --only test_op --only test_batch
    python conformance/run.py --skip-baseline       # reuse the last baseline of a backend

What it does (caches under ``conformance/.work/``, which git ignores):

1. ``pip download --no-binary :all: alembic==1.20.1`` (the sdist ships the tests and
   the ``alembic.testing`` harness) and unpacks it;
2. builds a virtualenv with the suite's test dependencies; alembic-django is made
   importable from this checkout through a ``.pth`` file (no install);
3. runs the suite in the unpacked sdist (the real Alembic: the baseline), then in a
   copy holding only ``tests/`` and ``alembic/testing`` with the
   ``harness_adapter`` plugin (every other ``alembic.*`` import goes to
   alembic-django's namespace);
4. prints per-module pass counts side by side and every test that passes with
   Alembic but not here, with a one-line reason; writes
   ``conformance/results/<backend>.json``, ``<backend>-failures.txt`` and
   ``<backend>.rst`` (included by ``docs/conformance.rst``).

Exit status: 0 when the run completed (whatever the figures), 2 on a setup error.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import venv
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parent
WORK = HERE / ".work"
RESULTS = HERE / "results"
ALEMBIC_VERSION = "1.20.1"
TEST_REQUIREMENTS = [
    "SQLAlchemy>=2.0", "Mako", "pytest>8,<10", "black==26.5.1", "zimports", "tzdata",
    "junitparser", "psycopg[binary]", "PyMySQL", "greenlet", "aiosqlite", "pytest-timeout",
]
#: seconds one test may take before it is failed with its stack (a test that leaves a
#: connection idle in a transaction would otherwise block the next one forever)
TEST_TIMEOUT = 120

#: failure categories for the report, checked in order (module, class or reason match)
CATEGORIES = [
    ("private-name-only", None, re.compile(
        r"(AttributeError|ImportError).*'_\w+'|cannot import name '_\w+'|has no attribute '_")),
    ("MSSQL/Oracle", re.compile(r"test_(mssql|oracle)\b|[Mm][Ss][Ss][Qq][Ll]|[Oo]racle"), None),
    ("batch", re.compile(r"test_batch\b|Batch"), None),
    ("autogenerate render", re.compile(r"test_autogen_render\b|Render"), None),
    ("autogenerate compare", re.compile(r"test_autogen_|Autogen|AutoincrementTest|Comparat"),
     None),
    ("environment/offline", re.compile(
        r"test_(environment|offline_environment|version_table)\b|Environment|Offline"), None),
    ("command/script/config messages", re.compile(
        r"test_(command|config|script_production|script_consumption|revision|"
        r"version_traversal|post_write|editor|messaging|stubs)\b"), None),
    ("op SQL per dialect", re.compile(
        r"test_(op|op_naming_convention|postgresql|mysql|sqlite|bulk_insert|impl|suite)\b"),
     None),
    ("plugins/dispatch", re.compile(r"test_(plugin|dispatch|external_dialect)\b"), None),
]


def log(msg: str) -> None:
    print(msg, flush=True)


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, **kw)


# -- setup ---------------------------------------------------------------------------


def fetch_sdist() -> Path:
    """The unpacked sdist directory (downloaded from PyPI once)."""
    root = WORK / f"alembic-{ALEMBIC_VERSION}"
    if (root / "tests" / "conftest.py").exists():
        return root
    dist = WORK / "dist"
    dist.mkdir(parents=True, exist_ok=True)
    log(f"downloading alembic=={ALEMBIC_VERSION} (sdist) from PyPI ...")
    run([sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps",
         "-d", str(dist), f"alembic=={ALEMBIC_VERSION}"])
    archive = next(dist.glob(f"alembic-{ALEMBIC_VERSION}.tar.gz"))
    with tarfile.open(archive) as tar:
        tar.extractall(WORK, filter="data")
    return root


def venv_python() -> Path:
    """The virtualenv's interpreter (created and filled once per requirement set)."""
    env = WORK / "venv"
    py = env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    stamp = env / "requirements.stamp"
    wanted = "\n".join(TEST_REQUIREMENTS)
    if not (py.exists() and stamp.exists() and stamp.read_text() == wanted):
        log("building the test virtualenv ...")
        venv.EnvBuilder(with_pip=True, clear=True).create(env)
        run([str(py), "-m", "pip", "install", "-q", *TEST_REQUIREMENTS])
        stamp.write_text(wanted)
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    (Path(site) / "alembic_django_checkout.pth").write_text(str(CHECKOUT) + "\n")
    return py


def ours_tree(sdist: Path) -> Path:
    """A copy of the suite without Alembic itself: ``tests/`` and ``alembic/testing`` only."""
    tree = WORK / "ours-tree"
    if tree.exists():
        shutil.rmtree(tree)
    tree.mkdir(parents=True)
    shutil.copytree(sdist / "tests", tree / "tests")
    shutil.copytree(sdist / "alembic" / "testing", tree / "alembic" / "testing")
    for name in ("setup.cfg", "pyproject.toml"):
        shutil.copy(sdist / name, tree / name)
    return tree


# -- running -------------------------------------------------------------------------


def pytest_cmd(py: Path, xml: Path, args: argparse.Namespace, adapter: bool) -> list[str]:
    cmd = [str(py), "-m", "pytest", "-o", "addopts=", "-p", "no:cacheprovider",
           "-p", "no:warnings", "-p", "no:logging", "-q", "--tb=short", "-rN",
           "--continue-on-collection-errors", f"--timeout={TEST_TIMEOUT}",
           f"--junitxml={xml}"]
    if adapter:
        cmd[3:3] = ["-p", "harness_adapter"]
    for url in args.dburi or ():
        cmd.append(f"--dburi={url}")
    targets = [f"tests/{m if m.endswith('.py') else m + '.py'}" for m in args.only or ()]
    cmd += targets or ["tests"]
    if args.k:
        cmd += ["-k", args.k]
    return cmd


PREPARE = """
import sys
import sqlalchemy as sa
for url in sys.argv[1:]:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for name in ("test_schema", "test_schema_2"):
            if engine.dialect.name == "postgresql":
                conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {name}")
            elif engine.dialect.name in ("mysql", "mariadb"):
                conn.exec_driver_sql(f"CREATE DATABASE IF NOT EXISTS {name}")
    engine.dispose()
"""


def prepare_backends(py: Path, urls: list[str]) -> None:
    """The schemas the suite's cross-schema tests use (``test_schema``, ``test_schema_2``)."""
    if urls:
        run([str(py), "-c", PREPARE, *urls])


def run_suite(label: str, py: Path, cwd: Path, xml: Path, args: argparse.Namespace,
              adapter: bool) -> None:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if adapter:
        env["PYTHONPATH"] = str(HERE)
        env["ALEMBIC_CONFORMANCE_HARNESS"] = str(cwd / "alembic")
    logfile = xml.with_suffix(".log")
    log(f"running Alembic's suite against {label} (log: {logfile.relative_to(CHECKOUT)}) ...")
    with open(logfile, "w") as out:
        subprocess.run(pytest_cmd(py, xml, args, adapter), cwd=cwd, env=env, stdout=out,
                       stderr=subprocess.STDOUT, check=False)
    if not xml.exists():
        raise SystemExit(f"the {label} run produced no results; see {logfile}")


# -- results -------------------------------------------------------------------------


def _reason(elem: ET.Element) -> str:
    message = elem.get("message") or ""
    text = message.strip() or (elem.text or "").strip()
    first = next((line for line in text.splitlines() if line.strip()), "")
    kind = elem.get("type") or ""
    if kind and not first.startswith(kind.split(".")[-1]):
        first = f"{kind.split('.')[-1]}: {first}"
    return first[:240]


def parse(xml: Path) -> dict[str, dict]:
    """``{test id: {"module", "status", "reason"}}`` from a junit file."""
    out: dict[str, dict] = {}
    for case in ET.parse(xml).iter("testcase"):
        classname = case.get("classname", "")
        module = classname.split(".")[1] if classname.startswith("tests.") else classname
        tid = f"{classname}::{case.get('name')}"
        status, reason = "passed", ""
        for tag in ("failure", "error", "skipped"):
            found = case.find(tag)
            if found is not None:
                status = {"failure": "failed", "error": "error", "skipped": "skipped"}[tag]
                reason = _reason(found)
                break
        if tid in out and out[tid]["status"] != "passed":
            continue  # an error in teardown after a failure: keep the first
        out[tid] = {"module": module, "status": status, "reason": reason}
    return out


def categorize(tid: str, reason: str) -> str:
    for name, where, why in CATEGORIES:
        if why is not None and why.search(reason):
            return name
        if where is not None and where.search(tid):
            return name
    return "other"


def compare(base: dict[str, dict], ours: dict[str, dict]) -> dict:
    modules = sorted({r["module"] for r in base.values()} | {r["module"] for r in ours.values()})
    per_module = []
    for mod in modules:
        b = collections.Counter(r["status"] for r in base.values() if r["module"] == mod)
        o = collections.Counter(r["status"] for r in ours.values() if r["module"] == mod)
        both = sum(1 for t, r in base.items() if r["module"] == mod and r["status"] == "passed"
                   and ours.get(t, {}).get("status") == "passed")
        per_module.append({"module": mod, "alembic_passed": b["passed"],
                           "ours_passed": o["passed"], "both_passed": both,
                           "ours_failed": o["failed"] + o["error"],
                           "alembic_failed": b["failed"] + b["error"]})
    failures = []
    for tid, r in sorted(base.items()):
        if r["status"] != "passed":
            continue
        mine = ours.get(tid, {"status": "missing", "reason": "not collected"})
        if mine["status"] == "passed":
            continue
        failures.append({"test": tid, "status": mine["status"], "reason": mine["reason"],
                         "category": categorize(tid, mine["reason"])})
    alembic_passed = sum(1 for r in base.values() if r["status"] == "passed")
    both = sum(m["both_passed"] for m in per_module)
    return {
        "alembic_version": ALEMBIC_VERSION,
        "alembic_passed": alembic_passed,
        "ours_passed": sum(1 for r in ours.values() if r["status"] == "passed"),
        "both_passed": both,
        "ratio": round(both / alembic_passed, 4) if alembic_passed else 0.0,
        "modules": per_module,
        "failures": failures,
        "categories": dict(collections.Counter(f["category"] for f in failures).most_common()),
    }


def report(label: str, summary: dict, command: str) -> None:
    width = max(len(m["module"]) for m in summary["modules"])
    lines = [f"{'module'.ljust(width)}  alembic  alembic-django", "-" * (width + 25)]
    for m in summary["modules"]:
        lines.append(f"{m['module'].ljust(width)}  {m['alembic_passed']:7d}  "
                     f"{m['both_passed']:14d}")
    lines.append("-" * (width + 25))
    lines.append(f"{'total'.ljust(width)}  {summary['alembic_passed']:7d}  "
                 f"{summary['both_passed']:14d}   ({summary['ratio']:.1%})")
    print("\n".join(lines))
    print("\nfailures by category:")
    for cat, n in summary["categories"].items():
        print(f"  {n:5d}  {cat}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{label}.json").write_text(json.dumps(summary, indent=1) + "\n")
    with open(RESULTS / f"{label}-failures.txt", "w") as fh:
        fh.write(f"# {len(summary['failures'])} tests that pass with Alembic "
                 f"{ALEMBIC_VERSION} but not with alembic-django ({label})\n")
        fh.write(f"# reproduce: {command}\n")
        for cat in summary["categories"]:
            fh.write(f"\n## {cat}\n")
            for f in summary["failures"]:
                if f["category"] == cat:
                    fh.write(f"{f['test']}  [{f['status']}]  {f['reason']}\n")
    (RESULTS / f"{label}-summary.md").write_text(category_summary(label, summary, command))
    rst = [f".. list-table:: Alembic {ALEMBIC_VERSION}'s suite on {label}",
           "   :header-rows: 1", "", "   * - module", "     - passing with Alembic",
           "     - passing with alembic-django"]
    for m in summary["modules"]:
        rst += [f"   * - ``{m['module']}``", f"     - {m['alembic_passed']}",
                f"     - {m['both_passed']}"]
    rst += ["   * - **total**", f"     - **{summary['alembic_passed']}**",
            f"     - **{summary['both_passed']}** ({summary['ratio']:.1%})", ""]
    (RESULTS / f"{label}.rst").write_text("\n".join(rst))
    print(f"\nwritten: conformance/results/{label}.json, {label}-failures.txt, {label}.rst")


def category_summary(label: str, summary: dict, command: str, examples: int = 5) -> str:
    """Per category: the count, the test modules, and a few representative failures
    (distinct reasons first)."""
    out = [f"# Remaining failures on {label}: {len(summary['failures'])} "
           f"({summary['both_passed']} of {summary['alembic_passed']} pass, "
           f"{summary['ratio']:.1%})", "", f"Reproduce: `{command}`", ""]
    for cat, count in summary["categories"].items():
        rows = [f for f in summary["failures"] if f["category"] == cat]
        modules = collections.Counter(f["test"].split("::")[0].split(".")[1]
                                      if f["test"].startswith("tests.") else f["test"]
                                      for f in rows)
        out.append(f"## {cat}: {count}")
        out.append("")
        out.append("Modules: " + ", ".join(f"{m} ({n})" for m, n in modules.most_common()))
        out.append("")
        seen: set[str] = set()
        picked = []
        for f in rows:
            key = re.sub(r"'[^']*'|\d+", "X", f["reason"])[:60]
            if key not in seen:
                seen.add(key)
                picked.append(f)
            if len(picked) == examples:
                break
        for f in picked:
            out.append(f"- `{f['test']}`: {f['reason']}")
        out.append("")
    return "\n".join(out)


def backend_label(args: argparse.Namespace) -> str:
    if not args.dburi:
        return "sqlite"
    names = sorted({re.split(r"[+:]", url, maxsplit=1)[0] for url in args.dburi})
    return "-".join(names)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dburi", action="append",
                        help="database URL for the backend tests (repeatable)")
    parser.add_argument("--only", action="append", metavar="MODULE",
                        help="run only tests/MODULE.py (repeatable), e.g. test_op")
    parser.add_argument("-k", help="pytest -k expression")
    parser.add_argument("--skip-baseline", action="store_true",
                        help="reuse the last baseline results of this backend")
    parser.add_argument("--label", help="name of the result files (default: the backend)")
    args = parser.parse_args(argv)
    label = args.label or backend_label(args)
    try:
        sdist = fetch_sdist()
        py = venv_python()
    except (subprocess.CalledProcessError, StopIteration) as exc:
        print(f"setup failed: {exc}", file=sys.stderr)
        return 2
    prepare_backends(py, args.dburi or [])
    runs = WORK / "runs" / label
    runs.mkdir(parents=True, exist_ok=True)
    base_xml, ours_xml = runs / "alembic.xml", runs / "ours.xml"
    if not (args.skip_baseline and base_xml.exists()):
        base_xml.unlink(missing_ok=True)
        run_suite("the real Alembic", py, sdist, base_xml, args, adapter=False)
    ours_xml.unlink(missing_ok=True)
    run_suite("alembic-django", py, ours_tree(sdist), ours_xml, args, adapter=True)
    summary = compare(parse(base_xml), parse(ours_xml))
    command = "python conformance/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    summary["command"] = command.strip()
    report(label, summary, command.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
