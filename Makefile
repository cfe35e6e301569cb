# The two commands of the README:
#   make serve   build the static site into dist/ and serve it on http://127.0.0.1:8000/
#   make test    the whole test suite, browser tests included
# Both do their own set-up on a fresh machine: venvs, pinned Python packages, Debian's chromium (and for the
# tests Debian's firefox-esr, WebKitGTK's driver and Xvfb: the student flows run in three engines, tests/engines/).

# The build and the app need Python 3.12 (Panel 1.10); pyenv's copy is preferred over a PATH shim.
PY312 := $(firstword $(wildcard $(HOME)/.pyenv/versions/3.12.*/bin/python3.12) $(shell command -v python3.12))
# The PyTorch oracle needs CPython 3.11 (the torch CPU wheel available here is cp311).
PY311 := $(firstword $(wildcard $(HOME)/.pyenv/versions/3.11.*/bin/python3.11) $(shell command -v python3.11))

.PHONY: serve build test chromium engines bench
# The build runs the app once in Chromium (the start-up snapshot, sitebuild/snapshot.py).
serve: .venv/.installed chromium
	.venv/bin/python build.py serve

build: .venv/.installed chromium
	.venv/bin/python build.py

test: .venv/.installed .venv-torch/.installed chromium engines
	.venv/bin/python -m pytest

bench: .venv/.installed chromium
	.venv/bin/python bench/engine_bench.py
	.venv/bin/python bench/load_bench.py
	.venv/bin/python bench/training_bench.py

.venv/.installed: requirements/dev.txt
	@test -n "$(PY312)" || { echo "Python 3.12 is needed (pyenv install 3.12)"; exit 1; }
	$(PY312) -m venv .venv
	.venv/bin/pip install -q -r requirements/dev.txt
	touch $@

.venv-torch/.installed: requirements/torch.txt
	@test -n "$(PY311)" || { echo "Python 3.11 is needed for the PyTorch oracle"; exit 1; }
	$(PY311) -m venv .venv-torch
	.venv-torch/bin/pip install -q -r requirements/torch.txt
	touch $@

chromium:
	@command -v chromium >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

# The other engines of the browser suite and of `bench/load_bench.py --browser firefox|webkit`: Firefox ESR,
# WebKitGTK's MiniBrowser with its WebDriver, and a virtual display for it (docs/engines-testing.md).
engines:
	@command -v firefox-esr >/dev/null && command -v WebKitWebDriver >/dev/null && command -v Xvfb >/dev/null || \
	  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q firefox-esr webkit2gtk-driver xvfb; }
