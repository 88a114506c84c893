"""Import structure: every module imports on its own in a fresh interpreter (no circular import), and the only
place that imports modules by name or names job functions in strings is the composition root."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# importlib only in the composition root (the catalog lists its modules; `paths.package_dir` reads sys.path)
IMPORTLIB_ALLOWED = {"plm_core/wiring.py"}
STRING_TARGET = re.compile(r"""["']plm_core(\.\w+)+:\w+["']""")  # "plm_core.module:function"


def modules(package: str) -> list[str]:
    out = []
    for path in sorted((REPO / package).rglob("*.py")):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__main__":
            continue
        if parts[-1] == "__init__":
            parts.pop()
        out.append(".".join(parts))
    return out


# A fork server: a fresh interpreter preloads the third-party libraries (they never import ours), then forks
# one child per module; each child starts with no plm_core/ui module loaded, exactly like `python -c "import X"`
# but without paying for torch each time.
FORK_SERVER = textwrap.dedent("""
    import importlib, os, sys, traceback
    for lib in ("numpy", "pandas", "torch", "transformers", "sklearn", "plotly.graph_objects", "streamlit"):
        try:
            importlib.import_module(lib)
        except Exception:
            pass
    assert not any(m == "plm_core" or m.startswith(("plm_core.", "ui.")) for m in sys.modules)
    failed, running, at_once = [], {}, min(4, len(os.sched_getaffinity(0)))  # children at once: the cores
    for name in sys.argv[1:] + [None] * at_once:
        if len(running) >= at_once or (name is None and running):
            pid, status = os.wait()
            if status != 0:
                failed.append(running[pid])
            del running[pid]
        if name is None:
            continue
        pid = os.fork()
        if pid == 0:
            try:
                importlib.import_module(name)
            except BaseException:
                sys.stderr.write(f"--- import {name} failed:\\n{traceback.format_exc(limit=6)}")
                sys.stderr.flush()
                os._exit(1)
            os._exit(0)
        running[pid] = name
    print("FAILED:" + ",".join(sorted(failed)))
""")


def test_every_module_imports_alone_in_a_fresh_interpreter():
    names = modules("plm_core") + [m for m in modules("ui") if m != "ui"]
    assert "plm_core.wiring" in names and "plm_core.jobs.door" in names and "ui.jobs" in names
    done = subprocess.run([sys.executable, "-c", FORK_SERVER, *names], cwd=REPO, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    failed = done.stdout.strip().rpartition("FAILED:")[2]
    assert failed == "", f"{failed}\n{done.stderr[-6000:]}"


def test_the_fork_server_reports_a_circular_import(tmp_path):
    pkg = tmp_path / "loop"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from loop.b import B\nA = 1\n")
    (pkg / "b.py").write_text("from loop.a import A\nB = 2\n")
    done = subprocess.run([sys.executable, "-c", FORK_SERVER, "loop.a", "json"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.stdout.strip().endswith("FAILED:loop.a") and "circular import" in done.stderr


def sources(package: str) -> dict[str, str]:
    return {str(p.relative_to(REPO)): p.read_text(encoding="utf-8") for p in sorted((REPO / package).rglob("*.py"))}


def test_only_the_composition_root_imports_by_name():
    for path, text in {**sources("plm_core"), **sources("ui"), **sources("app_pages")}.items():
        if path in IMPORTLIB_ALLOWED:
            continue
        assert "importlib" not in text and "__import__" not in text, f"{path} imports modules by name"
        assert not STRING_TARGET.search(text), f"{path} names a function in a 'module:function' string"


def imported_modules(path: str) -> set[str]:
    """The plm_core modules a file imports (at any depth: lazy imports inside functions count)."""
    tree = ast.parse((REPO / path).read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_backbones_do_not_import_prepare():
    """`prepare` converts backbones (it uses the registry); the registry only reads verified files (manifest)."""
    for path in sources("plm_core/backbones"):
        assert "plm_core.prepare" not in imported_modules(path), path
    assert "plm_core.backbones.registry" in imported_modules("plm_core/prepare.py")
