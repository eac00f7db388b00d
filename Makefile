# tuihuo: the two commands of the README are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: install run test lint format bench clean

# pyscard builds from source and serves only a real reader: install it when its
# prerequisites (a C compiler, the PC/SC headers, the Python headers) are present.
HAVE_PCSC := $(shell command -v gcc >/dev/null 2>&1 && pkg-config --exists libpcsclite 2>/dev/null && \
	$(PYTHON) -c "import sysconfig,os,sys; sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_paths()['include'],'Python.h')) else 1)" 2>/dev/null && echo yes)
comma := ,
CARD := $(if $(HAVE_PCSC),card,)
RUN_EXTRAS := $(CARD)
TEST_EXTRAS := test$(if $(HAVE_PCSC),$(comma)card)

# Setting up says what it does in one line a step; pip's own output (setuptools' deprecation
# warnings and the like) goes to $(LOG) and is shown only when the step fails.
LOG := $(VENV)/install.log
QUIETLY = >>$(LOG) 2>&1 || { cat $(LOG); echo "安装失败（完整输出：$(LOG)）" >&2; exit 1; }

$(VENV)/bin/activate:
	@echo "首次运行：创建 $(VENV) …"
	@$(PYTHON) -m venv $(VENV)
	@: >$(LOG)
	@$(PIP) install -q --upgrade pip $(QUIETLY)

# the app alone (make run): no test tools
$(VENV)/.installed-run: pyproject.toml | $(VENV)/bin/activate
	@echo "安装 tuihuo 及其依赖（一两分钟）…"
	@$(PIP) install -q -e '.$(if $(RUN_EXTRAS),[$(RUN_EXTRAS)])' $(QUIETLY)
	@touch $@

# the app and the test tools (make test, make bench)
$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/activate
	@echo "安装 tuihuo、依赖及测试工具（一两分钟）…"
	@$(PIP) install -q -e '.[$(TEST_EXTRAS)]' $(QUIETLY)
	@touch $@ $(VENV)/.installed-run

install: $(VENV)/.installed-test

run: $(VENV)/.installed-run
	@$(VENV)/bin/tuihuo

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: $(VENV)/.installed-test lint
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest -q -p no:cacheprovider $(PYTEST_ARGS)

bench: $(VENV)/.installed-test
	@for b in bench/*.py; do echo "# $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
