"""The public surface: the names ``interceptor`` exports, and the engine's small face."""
from __future__ import annotations

from types import ModuleType

import interceptor
import interceptor.engine
from tests.conftest import ROOT


def test_the_package_exports_exactly_its_public_names() -> None:
    assert interceptor.__all__ == sorted(interceptor.__all__)
    assert set(interceptor.__all__) == {
        "Action", "ConfigError", "Hit", "Interceptor", "InterceptorError", "Lexicon", "LexiconError", "Problem",
        "Term", "Tier", "Verdict", "load_lexicon",
    }
    for name in interceptor.__all__:
        assert getattr(interceptor, name).__module__.startswith("interceptor")


def test_every_public_name_is_exported() -> None:
    """As httpx checks its own: whatever the package holds that is public is in ``__all__``."""
    public = (name for name, value in vars(interceptor).items()
              if not name.startswith("_") and not isinstance(value, ModuleType))  # submodules are not names
    assert interceptor.__all__ == sorted(public)


def test_the_engine_face_is_small() -> None:
    assert interceptor.engine.__all__ == ["BACKENDS", "DEFAULT_BACKEND", "Engine", "Interceptor", "term_units"]
    assert interceptor.Interceptor is interceptor.engine.Interceptor


def test_the_contract_api_works() -> None:
    # CONTRACT §3: from_path, check(text, direction), verdict.action / .text / .hits
    guard = interceptor.Interceptor.from_path(ROOT / "lexicons" / "sample")
    v = guard.check("some text", direction="output")
    assert v.action is interceptor.Action.PASS and v.text == "some text" and v.hits == ()
