"""The lexicon the assessed service ran with, for the report: name, version, term counts, and
the filing's keyword list exported by ``interceptor lexicon report --export`` where that
command is installed. A filing presents the keyword library and the test-question results
together; the version ties the two to the same lexicon."""
from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from interceptor.lexicon import load_lexicon
from interceptor.lexicon.coverage import risk_of

EXPORT = "keywords.csv"


def describe(lexicon: Path, out: Path) -> dict[str, Any]:
    lex = load_lexicon(lexicon)
    info: dict[str, Any] = {
        "path": str(lexicon), "name": lex.name, "version": lex.version,
        "read_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "terms": len(lex.terms), "by_category": dict(Counter(t.category for t in lex.terms).most_common()),
        "by_tier": dict(Counter(t.tier.value for t in lex.terms).most_common()),
        "by_risk": dict(sorted(Counter(risk_of(lex, t) or "(no code)" for t in lex.terms).items())),
    }
    info["export"] = _export(lexicon, out)
    return info


def _export(lexicon: Path, out: Path) -> dict[str, Any]:
    """Run ``interceptor lexicon report DIR --export csv --output OUT/keywords.csv``."""
    target = out / EXPORT
    cmd = [sys.executable, "-m", "interceptor.cli", "lexicon", "report", str(lexicon), "--export", "csv",
           "--output", str(target)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as e:
        return {"file": None, "note": f"the export did not run: {e}"}
    if done.returncode != 0 or not target.exists():
        why = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"file": None, "note": f"`interceptor lexicon report --export` is not available here ({why})"}
    return {"file": EXPORT, "command": " ".join(["interceptor", *cmd[3:]]),
            "made_at": datetime.now(UTC).isoformat(timespec="seconds")}
