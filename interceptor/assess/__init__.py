"""``interceptor assess``: the test-question part of a compliance self-assessment.

A bank of must-refuse and must-answer questions (``bank.py``) goes through an OpenAI-compatible
service (``runner.py``, ``chat.py``); each answer is judged a clear refusal, a vague refusal or
an answer (``classify.py``, or an operator's own, ``plugins.py``), with the layer that acted
(``layer.py``); results are kept as they come (``store.py``) and summed up (``summary.py``) in a
report (``report.py``, ``plots.py``, ``lexinfo.py``).
"""
