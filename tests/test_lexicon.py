"""Lexicon directories: format, defaults, validation with file:line, content version."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from interceptor import LexiconError, Tier
from interceptor.lexicon import DEFAULT_VARIANTS, NO_VARIANTS, load_lexicon, parse_variants
from tests.conftest import write_lexicon

GOOD = {"zh.tsv": "term\ttier\n微信\tmask\n枪支\tblock\n", "allow.txt": "# comment\n白粉蝶\n\n"}


def test_loads_terms_allow_and_defaults(tmp_path: Path) -> None:
    lex = load_lexicon(write_lexicon(tmp_path / "lex", GOOD))
    assert [t.text for t in lex.terms] == ["微信", "枪支"]
    t = lex.terms[0]
    assert t.category == "zh" and t.tier is Tier.MASK and t.variants == DEFAULT_VARIANTS and t.lang == "zh"
    assert t.source == "zh.tsv:2"
    assert lex.allow == ("白粉蝶",)


def test_manifest_defaults_per_file_and_global(tmp_path: Path) -> None:
    d = write_lexicon(tmp_path / "lex", {
        "a.tsv": "term\nfoo\n", "b.tsv": "term\tcategory\nbar\tcustom\n",
        "manifest.toml": 'name = "ops"\n[defaults]\ntier = "warn"\nlang = "en"\n'
                         '[files."b.tsv"]\ntier = "block"\nvariants = "none"\n',
    })
    lex = load_lexicon(d)
    a, b = lex.terms
    assert lex.name == "ops"
    assert (a.tier, a.category, a.lang, a.variants) == (Tier.WARN, "a", "en", DEFAULT_VARIANTS)
    assert (b.tier, b.category, b.variants) == (Tier.BLOCK, "custom", NO_VARIANTS)


def test_every_error_is_reported_with_file_and_line(tmp_path: Path) -> None:
    d = write_lexicon(tmp_path / "lex", {
        "a.tsv": "term\ttier\tvariants\nok\tmask\n\tmask\nx\tsevere\ny\tmask\tfuzzy\n",
        "b.tsv": "category\nfoo\n",
        "c.tsv": "term\ttier\tcategory\nok\tblock\tother\n",
    })
    (d / "d.tsv").write_bytes(b"term\nfine\n\xff\xfe bad\n")
    with pytest.raises(LexiconError) as err:
        load_lexicon(d)
    msgs = [str(p) for p in err.value.problems]
    assert any(m.startswith("a.tsv:3: empty term") for m in msgs), msgs
    assert any(m.startswith("a.tsv:4: unknown tier 'severe'") for m in msgs), msgs
    assert any(m.startswith("a.tsv:5: unknown variant 'fuzzy'") for m in msgs), msgs
    assert any(m.startswith("b.tsv:1: header has no 'term' column") for m in msgs), msgs
    assert any(m.startswith("c.tsv:2: term 'ok' conflicts with its definition at a.tsv:2") for m in msgs), msgs
    assert any(m.startswith("d.tsv:3: invalid UTF-8") for m in msgs), msgs


def test_bad_manifest_and_rules_are_located(tmp_path: Path) -> None:
    d = write_lexicon(tmp_path / "lex", {
        "a.tsv": "term\nfoo\n",
        "manifest.toml": '[defaults]\ntier = "loud"\n',
        "rules.toml": '[[rule]]\nid = "r1"\nall = ["a"]\n\n[[rule]]\nid = "r1"\nscope = "galaxy"\n',
    })
    with pytest.raises(LexiconError) as err:
        load_lexicon(d)
    msgs = [str(p) for p in err.value.problems]
    assert any(m.startswith("manifest.toml:2: unknown tier 'loud'") for m in msgs), msgs
    assert any(m.startswith("rules.toml:5: duplicate rule id 'r1'") for m in msgs), msgs
    assert any(m.startswith("rules.toml:5: unknown scope 'galaxy'") for m in msgs), msgs
    assert any(m.startswith("rules.toml:5: rule needs at least one condition") for m in msgs), msgs


def test_invalid_toml_names_its_line(tmp_path: Path) -> None:
    d = write_lexicon(tmp_path / "lex", {"a.tsv": "term\nfoo\n", "rules.toml": "[[rule]]\nid = \n"})
    with pytest.raises(LexiconError) as err:
        load_lexicon(d)
    assert str(err.value.problems[0]).startswith("rules.toml:2: invalid TOML")


def test_identical_duplicates_merge(tmp_path: Path) -> None:
    d = write_lexicon(tmp_path / "lex", {"a.tsv": "term\nfoo\n", "b.tsv": "term\tcategory\nfoo\ta\n"})
    assert [t.text for t in load_lexicon(d).terms] == ["foo"]


def test_version_is_a_content_hash(tmp_path: Path) -> None:
    a = write_lexicon(tmp_path / "a", GOOD)
    b = write_lexicon(tmp_path / "b", GOOD)
    va, vb = load_lexicon(a).version, load_lexicon(b).version
    assert va == vb and len(va) == 16
    (b / "zh.tsv").write_text("term\ttier\n微信\tblock\n", encoding="utf8")
    assert load_lexicon(b).version != va
    (a / "README.md").write_text("not part of the lexicon")
    assert load_lexicon(a).version == va


def test_configmap_layout_with_symlinks(tmp_path: Path) -> None:
    """A ConfigMap volume: real files under ..data/, symlinks at the top level."""
    root = tmp_path / "cm"
    real = root / "..2026_11_23_00_00_00.1"
    write_lexicon(real, GOOD)
    os.symlink(real.name, root / "..data")
    for name in GOOD:
        os.symlink(f"..data/{name}", root / name)
    lex = load_lexicon(root)
    assert len(lex.terms) == 2 and lex.files == ("allow.txt", "zh.tsv")


def test_not_a_directory_and_empty(tmp_path: Path) -> None:
    with pytest.raises(LexiconError):
        load_lexicon(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(LexiconError, match=r"no \*\.tsv"):
        load_lexicon(tmp_path / "empty")


def test_parse_variants() -> None:
    assert parse_variants("none") == NO_VARIANTS
    assert parse_variants("case, width") == {"case", "width"}
    assert "initials" in parse_variants("all") and "initials" not in parse_variants("default")
    with pytest.raises(ValueError, match="unknown variant"):
        parse_variants("case,sparkle")


@pytest.mark.parametrize("make, why", [
    (lambda d: (d / "gone.tsv").symlink_to(d / "nowhere.tsv"), "a symlink to nothing"),
    (lambda d: (d / "loop.tsv").symlink_to(d / "loop.tsv"), "a symlink loop"),
    (lambda d: (d / "x.tsv").mkdir(), "is a directory"),
    (lambda d: os.mkfifo(d / "pipe.tsv"), "not a regular file"),
    (lambda d: (d / "rules.toml").symlink_to(d / "nowhere.toml"), "a symlink to nothing"),
])
def test_unreadable_entries_are_rejected_with_their_name(tmp_path: Path, make: Any, why: str) -> None:
    d = write_lexicon(tmp_path / "lex", {"a.tsv": "term\ttier\n枪支\tblock\n"})
    make(d)
    with pytest.raises(LexiconError) as err:
        load_lexicon(d)
    assert any(why in str(p) for p in err.value.problems), err.value.problems
