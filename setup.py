"""The C extensions; everything else about the package is in pyproject.toml.

``interceptor.normalize._views`` builds a text's views in one pass; ``interceptor.engine._check``
screens a channel's automaton matches in one call. Both are optional: where no C compiler
is at hand the build goes on without them, ``views.py`` uses NumPy and the channels screen
each match in Python (the definition of both).
"""
from setuptools import Extension, setup

setup(ext_modules=[
    Extension("interceptor.normalize._views", ["interceptor/normalize/_views.c"], optional=True),
    Extension("interceptor.engine._check", ["interceptor/engine/_check.c"], optional=True),
])
