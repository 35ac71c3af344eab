"""The tree's shape: the engine imports no web, database or metrics code (import-linter)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_the_import_contracts_hold() -> None:
    # the contracts are in pyproject.toml ([tool.importlinter]); lint-imports reads them
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    p = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-2000:]
    assert "0 broken" in p.stdout


def test_a_broken_contract_is_reported(tmp_path: Path) -> None:
    # the same contract against a module that does import a web framework must fail
    pkg = tmp_path / "pkg"
    (pkg / "engine").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "engine" / "__init__.py").write_text("import fastapi\n")
    (tmp_path / ".importlinter").write_text(
        "[importlinter]\nroot_packages =\n    pkg\ninclude_external_packages = True\n\n"
        "[importlinter:contract:web]\nname = no web\ntype = forbidden\nsource_modules = pkg.engine\n"
        "forbidden_modules = fastapi\n")
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    p = subprocess.run([exe, str(tmp_path / ".importlinter")], cwd=tmp_path, capture_output=True,
                       text=True, env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert p.returncode != 0 and "BROKEN" in p.stdout, p.stdout + p.stderr
