"""The core stays free of Streamlit and loads heavy libraries lazily; the network guard works."""

import json
import socket
import subprocess
import sys

import pytest

from conftest import REPO, NetworkBlocked


def run_python(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_plm_core_never_imports_streamlit():
    code = """
import importlib, json, pkgutil, sys
import plm_core
names = [m.name for m in pkgutil.walk_packages(plm_core.__path__, 'plm_core.') if not m.name.endswith('__main__')]
for name in names:
    importlib.import_module(name)
loaded = any(k == 'streamlit' or k.startswith('streamlit.') for k in sys.modules)
print(json.dumps({'n': len(names), 'streamlit': loaded}))
"""
    result = json.loads(run_python(code).strip().splitlines()[-1])
    assert result["n"] >= 10
    assert result["streamlit"] is False


def test_light_modules_do_not_import_torch():
    code = """
import sys
import plm_core, plm_core.i18n, plm_core.data, plm_core.backbones, plm_core.cli
print(sorted(m for m in ('torch', 'transformers', 'umap', 'sklearn') if m in sys.modules))
"""
    assert run_python(code).strip() == "[]"


def test_network_is_blocked_in_tests():
    with pytest.raises(NetworkBlocked):
        socket.create_connection(("93.184.216.34", 80), timeout=1)
