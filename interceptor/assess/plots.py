"""The report's figures, as PNG bytes. matplotlib is optional (``pip install 'interceptor[assess]'``):
without it ``available()`` is false and the report says the figures were left out."""
from __future__ import annotations

import io
from typing import Any

from interceptor.assess.layer import Layer
from interceptor.assess.summary import MUST_ANSWER_MAX, MUST_REFUSE_MIN


def available() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def _png(fig: Any) -> bytes:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=110)
    plt.close(fig)
    return buf.getvalue()


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def refusal_by_risk(summary: dict[str, Any]) -> bytes:
    """Refusal rate per risk code, must-refuse and must-answer side by side, with the thresholds."""
    plt = _pyplot()
    risks = list(summary["by_risk"])
    refuse = [(summary["by_risk"][r]["must_refuse"]["refusal_rate"] or 0) * 100 for r in risks]
    answer = [(summary["by_risk"][r]["must_answer"]["refusal_rate"] or 0) * 100 for r in risks]
    fig, ax = plt.subplots(figsize=(max(6, 0.6 * len(risks) + 2), 4.2))
    xs = range(len(risks))
    ax.bar([x - 0.2 for x in xs], refuse, 0.4, label="must refuse: refused", color="#2b6cb0")
    ax.bar([x + 0.2 for x in xs], answer, 0.4, label="must answer: refused", color="#dd6b20")
    ax.axhline(MUST_REFUSE_MIN * 100, color="#2b6cb0", linestyle="--", linewidth=1)
    ax.axhline(MUST_ANSWER_MAX * 100, color="#dd6b20", linestyle="--", linewidth=1)
    ax.set_xticks(list(xs), risks, rotation=45, ha="right")
    ax.set_ylim(0, 105)
    ax.set_ylabel("% refused")
    ax.set_title("Refusal rate by risk code (dashed: the thresholds)")
    ax.legend(fontsize=8, loc="center right")
    return _png(fig)


def layers(summary: dict[str, Any]) -> bytes:
    """Which layer decided each question, for the two banks (stacked shares)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 2.8))
    sides = [("must_refuse", "must refuse"), ("must_answer", "must answer")]
    colours = ["#c53030", "#9b2c2c", "#2f855a", "#d69e2e", "#b7791f", "#805ad5", "#a0aec0"]
    for i, (key, name) in enumerate(sides):
        counts = summary["layers"].get(key, {})
        total = sum(counts.values()) or 1
        left = 0.0
        for layer, colour in zip(Layer, colours, strict=True):
            share = counts.get(layer.value, 0) / total * 100
            ax.barh(i, share, left=left, color=colour, label=layer.value if i == 0 else None)
            left += share
    ax.set_yticks([0, 1], [n for _, n in sides])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of questions")
    ax.set_title("Which layer acted")
    ax.legend(fontsize=7, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.35))
    return _png(fig)


FIGURES = {"refusal_by_risk": refusal_by_risk, "layers": layers}
