# relkit — two commands do everything on a fresh clone:
#   make demo   set up .venv if needed, then produce the demo client's deliverables into reports/
#   make test   set up .venv if needed, then run the whole test suite
#   make workshop  serve the demo's workshop editors (Voilà) until Ctrl-C
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.relkit-installed

.PHONY: demo test setup clean bench workshop

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --upgrade pip
	$(BIN)/python -m pip install -qq -c constraints.txt -e '.[dev,demo]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/relkit run data_samples/arnaud-zoe --out reports

test: $(STAMP)
	$(BIN)/python -m pytest tests relkit/notebooks --nbval-lax -p no:cacheprovider

workshop: $(STAMP)
	$(BIN)/relkit workshop data_samples/arnaud-zoe

bench: $(STAMP)
	$(BIN)/python benchmarks/run_vs_plain.py

clean:
	rm -rf reports/*/ working/ .pytest_cache
