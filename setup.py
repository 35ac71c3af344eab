"""The one C extension; everything else about the package is in pyproject.toml.

``interceptor.normalize._views`` builds a text's views in one pass. It is optional: where
no C compiler is at hand the build goes on without it and ``views.py`` uses NumPy.
"""
from setuptools import Extension, setup

setup(ext_modules=[Extension("interceptor.normalize._views", ["interceptor/normalize/_views.c"], optional=True)])
