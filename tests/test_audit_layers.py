"""The audit modules import in one direction: interface, then chain, then implementations,
then the opener — no circle, and no store reaching into the other's private names."""
from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

AUDIT = ROOT / "interceptor" / "audit"
# what each module may import from interceptor.audit (at any depth: function-level imports count)
ALLOWED = {
    "records": set(),
    "store": {"records"},
    "chain": {"records", "store"},
    "sqlite": {"records", "store", "chain"},
    "postgres": {"records", "store", "chain"},
    "opening": {"store", "sqlite", "postgres"},
}


def audit_imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("interceptor.audit."):
            out.add(node.module.removeprefix("interceptor.audit."))
        elif isinstance(node, ast.Import):
            out |= {a.name.removeprefix("interceptor.audit.") for a in node.names
                    if a.name.startswith("interceptor.audit.")}
    return out


def test_no_import_circle_between_the_store_modules() -> None:
    for name, allowed in ALLOWED.items():
        got = audit_imports(AUDIT / f"{name}.py")
        assert got <= allowed, f"{name}.py imports {sorted(got - allowed)}"


def test_no_store_uses_another_modules_private_names() -> None:
    for name in ALLOWED:
        for node in ast.walk(ast.parse((AUDIT / f"{name}.py").read_text(encoding="utf8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("interceptor."):
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, f"{name}.py imports {private} from {node.module}"
