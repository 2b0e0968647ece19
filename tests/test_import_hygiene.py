"""The core (models, rules, store, config, exporters, importers) imports without Textual.

Checked in a fresh interpreter: this test process has Textual loaded by pytest plugins.
Packages and modules that do not exist yet are skipped; every module that does exist under a
core package is imported, so a new ``rules/`` or ``exporters/`` module is covered on arrival.
"""

from __future__ import annotations

import json
import subprocess
import sys

CORE = [
    "opsdesk.clock",
    "opsdesk.paths",
    "opsdesk.models",
    "opsdesk.rules",
    "opsdesk.store",
    "opsdesk.config",
    "opsdesk.exporters",
    "opsdesk.importers",
]

PROBE = r"""
import importlib, json, pkgutil, sys

def textual_loaded():
    return sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))

imported, missing, culprit = [], [], None

def load(name):
    global culprit
    importlib.import_module(name)
    imported.append(name)
    if culprit is None and textual_loaded():
        culprit = name

for name in json.loads(sys.argv[1]):
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name == name:  # not written yet
            missing.append(name)
            continue
        raise
    load(name)
    for info in pkgutil.walk_packages(getattr(module, "__path__", []), name + "."):
        load(info.name)
load("opsdesk")  # the top-level package itself, but not its other subpackages (tui, cli)

print(json.dumps({
    "imported": imported,
    "missing": missing,
    "culprit": culprit,
    "textual": textual_loaded(),
}))
"""


def test_core_imports_without_textual() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(CORE)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert {"opsdesk.models", "opsdesk.store", "opsdesk.rules"} <= set(report["imported"])
    assert "opsdesk.store.db" in report["imported"], "submodules are walked too"
    assert not any(name.startswith("opsdesk.tui") for name in report["imported"])
    assert report["textual"] == [], (
        f"importing {report['culprit']} loaded Textual: {report['textual'][:5]}"
    )
