# oilimpact — `make` lists the targets. Every target sets up .venv from requirements.txt first.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
REQ_STAMP := $(VENV)/.requirements.sha256
PKG_STAMP := $(VENV)/.package-installed
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.DEFAULT_GOAL := help
.PHONY: help venv test reports figures history lab bench lint clean

help: ## Show this list of targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  make %-9s %s\n", $$1, $$2}'

# The venv is rebuilt from scratch whenever requirements.txt changes (its hash differs).
$(REQ_STAMP): requirements.txt
	@want=$$(sha256sum requirements.txt | cut -d' ' -f1); \
	if [ ! -x $(BIN)/python ] || [ "$$(cat $(REQ_STAMP) 2>/dev/null)" != "$$want" ]; then \
	  echo "Creating $(VENV) from requirements.txt (a minute or two)..."; \
	  rm -rf $(VENV) && $(PYTHON) -m venv $(VENV) && \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt && \
	  rm -f $(PKG_STAMP) && echo "$$want" > $(REQ_STAMP); \
	else touch $(REQ_STAMP); fi

$(PKG_STAMP): $(REQ_STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (oilimpact)" >/dev/null
	@touch $(PKG_STAMP)

venv: $(PKG_STAMP) ## Create .venv from requirements.txt and install the package (done by every target)

test: venv ## Run the test suite (executes the notebooks too)
	$(BIN)/python -m pytest -n $(JOBS) --dist loadgroup

reports: venv ## Render every notebook x scenario into reports/ (ipynb, HTML, PDF)
	$(BIN)/oilimpact render --jobs $(JOBS)

figures: venv ## Re-extract data/figures.csv and data/events.csv from seeds/
	$(BIN)/oilimpact figures seeds --write data

HISTORY ?= ../shared/history
history: venv ## Rebuild data/history.csv from the gathered history in $(HISTORY)
	$(BIN)/oilimpact history --from $(HISTORY) --write data

lab: venv ## Open the notebooks in JupyterLab with the project's kernel
	$(BIN)/jupyter lab notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

bench: venv ## Print the benchmarks' figures (figures, model, backtest accuracy, render)
	$(BIN)/python bench/figures_bench.py
	$(BIN)/python bench/worst_case_bench.py
	$(BIN)/python bench/metric_agreement.py ru
	$(BIN)/python bench/model_bench.py
	$(BIN)/python bench/backtest_bench.py
	$(BIN)/python bench/render_bench.py

lint: venv ## ruff check the code
	$(BIN)/ruff check src tests bench

clean: ## Remove rendered reports and caches (keeps .venv)
	rm -rf reports/* .pytest_cache .ruff_cache .hypothesis
	touch reports/.gitkeep
