#!/bin/sh
# Install Interceptor from this source tree into a virtual environment.
# The Dockerfile runs exactly this; tests/test_deploy.py runs it in a fresh venv too.
#   deploy/install.sh SOURCE_DIR VENV_DIR
set -eu
src="$1"
venv="$2"
python3 -m venv "$venv"
"$venv/bin/pip" install --no-cache-dir --quiet --upgrade pip
"$venv/bin/pip" install --no-cache-dir --quiet "$src"
"$venv/bin/interceptor" lexicon check "$src/lexicons/default" > /dev/null
