# tuihuo: the two commands of the README are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: install test lint format bench clean

# pyscard builds from source and serves only a real reader: install it when its
# prerequisites (a C compiler, the PC/SC headers, the Python headers) are present.
HAVE_PCSC := $(shell command -v gcc >/dev/null 2>&1 && pkg-config --exists libpcsclite 2>/dev/null && \
	$(PYTHON) -c "import sysconfig,os,sys; sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_paths()['include'],'Python.h')) else 1)" 2>/dev/null && echo yes)
comma := ,
EXTRAS := test$(if $(HAVE_PCSC),$(comma)card)

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[$(EXTRAS)]'
	touch $@

install: $(VENV)/.installed

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: install lint
	$(VENV)/bin/pytest -q -p no:cacheprovider $(PYTEST_ARGS)

bench: install
	@for b in bench/*.py; do echo "# $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
