# Two commands on a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: run test lint install bench bench-batch compare chromium eval simulate-reviews train train-conflicts

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m compare.embed.encoders
	touch $(STAMP)

install: $(STAMP)

# The model's ONNX export is made once (at install; again here if the cache folder was emptied), so
# the first page never waits for it.
run: $(STAMP)
	$(PY) -m compare.embed.encoders
	$(PY) -m streamlit run app.py --server.headless true --browser.gatherUsageStats false

# The real-browser test drives Debian's chromium (never a browser download of Playwright's own).
chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

test: $(STAMP) chromium
	$(PY) -m ruff check compare tests app.py benchmarks dashboard
	$(PY) -m pytest -q

lint: $(STAMP)
	$(PY) -m ruff check compare tests app.py benchmarks dashboard

bench: $(STAMP)
	$(PY) benchmarks/bench.py

# The batch runner against a loop of CLI calls on 48 stories (slow: about ten minutes on 2 cores).
bench-batch: $(STAMP)
	$(PY) benchmarks/batch.py

compare: $(STAMP)
	$(PY) -m compare articles/000_54a59e14602e937a.txt articles/003_d6f58a359228a0fb.txt --csv out/alignment.csv --discrepancies out/discrepancies.csv --facts-csv out/facts.csv

# Scores every annotated reference pair in ../shared/eval (dev pairs, seed, stories): table + out/eval.json.
eval: $(STAMP)
	$(PY) -m compare.quality.evaluate --json out/eval.json

# Simulated reviews (issue 27): K reviewed rows per pair refit the models, held out per event.
simulate-reviews: $(STAMP)
	$(PY) -m compare.quality.simulate 10 25

# Refits the match model on every reference pair (writes compare/models/match.json) and prints the
# leave-one-event-out pair F1.
train: $(STAMP)
	$(PY) -m compare.quality.learn

# Refits the conflict judge on every reference pair (writes compare/models/conflict.json) and prints
# the rows each event's held-out judge flags.
train-conflicts: $(STAMP)
	$(PY) -m compare.quality.judge
