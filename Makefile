# Acolhe: `make run` starts everything, `make test` tests everything. `make help` lists the rest.
# Every target installs what it is missing first: the tools, both Python environments, the web chat
# bundle and the trained model are files, rebuilt only when what they are made from changes.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

UV_VERSION := 0.13.8
UV := .tools/bin/uv
export UV_PYTHON_DOWNLOADS := never
export RASA_TELEMETRY_ENABLED := false
export PYTHONWARNINGS := ignore
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

SERVICES := .venv/bin
BOT := .venv-bot/bin
SERVICE_PACKAGES := channels common handoff sandbox worker ops
MODEL := models/acolhe.tar.gz
SPACY_PIPELINE := models/spacy-acolhe
TRAINING_INPUTS := config.yml domain.yml $(shell find data bot -name '*.yml' -o -name '*.py')
WEBCHAT_BUNDLE := channels/webchat/static/vendor/webchat.js
RESULTS := var/test-results

.PHONY: help install run train shell lint format validate test checks test-bot test-services test-nlu test-stories test-e2e bench bench-nlu clean

help: ## List the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

# ---- installation --------------------------------------------------------------------------

$(UV):
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv==$(UV_VERSION)

.venv/.synced: requirements/services.lock | $(UV)
	$(UV) venv --quiet --allow-existing --python '>=3.11' .venv
	$(UV) pip sync --quiet --python $(SERVICES)/python $<
	$(UV) pip check --quiet --python $(SERVICES)/python
	touch $@

.venv-bot/.synced: requirements/bot.lock | $(UV)
	$(UV) venv --quiet --allow-existing --python "$$(ops/find-python310)" .venv-bot
	$(UV) pip sync --quiet --python $(BOT)/python $<
	$(UV) pip check --quiet --python $(BOT)/python
	touch $@

# rasa-webchat's own bundle from the npm registry, served by the gateway (no CDN); build.mjs strips
# the web fonts it would fetch from outside.
$(WEBCHAT_BUNDLE): channels/webchat/package-lock.json channels/webchat/build.mjs
	ops/ensure-system-packages npm
	npm ci --prefix channels/webchat --ignore-scripts --no-audit --no-fund --loglevel=error
	npm run --prefix channels/webchat --silent build

install: .venv/.synced .venv-bot/.synced $(WEBCHAT_BUNDLE) ## Create both environments and the web chat bundle

# ---- the assistant -------------------------------------------------------------------------

# The spaCy pipeline SpacyNLP loads: built here from installed packages, never downloaded.
$(SPACY_PIPELINE)/meta.json: $(wildcard bot/spacy_pipeline/*) | .venv-bot/.synced
	$(BOT)/python -m bot.spacy_pipeline $(SPACY_PIPELINE)

$(MODEL): $(TRAINING_INPUTS) $(SPACY_PIPELINE)/meta.json | .venv-bot/.synced
	$(BOT)/rasa train --quiet --fixed-model-name acolhe --out models
	@# Rasa keeps the old file when its own fingerprint finds nothing to retrain (a change to
	@# bot/ code that is not a component's config); mark it up to date for make.
	@touch $@

train: $(MODEL) ## Train the model (only when data/, config.yml, domain.yml or bot/ changed)

run: install train ## Start the whole stack on embedded defaults and print the URLs (Ctrl-C stops)
	ops/ensure-system-packages redis-server
	$(SERVICES)/python -m ops.stack run

shell: install train ## Talk to the assistant in the terminal (needs the action server: make run)
	$(SERVICES)/python -m ops.stack exec $(BOT)/rasa shell --model $(MODEL) --endpoints endpoints.yml

# ---- quality -------------------------------------------------------------------------------

lint: .venv/.synced .venv-bot/.synced ## Lint and type-check both environments
	$(SERVICES)/ruff check .
	$(SERVICES)/ruff format --check .
	$(SERVICES)/mypy $(SERVICE_PACKAGES)
	$(BOT)/mypy --python-version 3.10 bot actions

format: .venv/.synced ## Format and fix what ruff can
	$(SERVICES)/ruff format .
	$(SERVICES)/ruff check --fix .

validate: .venv-bot/.synced ## Check the training data, domain and stories for conflicts
	$(BOT)/rasa data validate --quiet

# Training takes most of the CPU for ten minutes while the checks that need no model mostly wait
# on databases: they run side by side (two jobs), then the model's own tests.
test: ## Lint, validate, train, and run every test
	$(MAKE) --jobs=2 --output-sync=target train checks
	$(MAKE) test-nlu test-stories test-e2e
	@echo "All Acolhe checks passed."

checks: lint validate test-bot test-services ## Everything that needs no trained model

test-bot: .venv-bot/.synced .venv/.synced ## Tests of bot/ and actions/ (Python 3.10), against the sandbox (3.11)
	$(BOT)/pytest -q tests/bot

test-services: install ## Service tests on real SQLite, PostgreSQL and Redis (Python 3.11+)
	$(SERVICES)/pytest -q tests/services

test-nlu: train ## Measure the model on the held-out set (macro-F1, red urgency recall)
	$(BOT)/pytest -q tests/nlu

test-stories: train ## Conversation tests against the trained model
	$(BOT)/rasa test core --quiet --model $(MODEL) --stories tests/test_stories.yml \
	  --fail-on-prediction-errors --out $(RESULTS)

test-e2e: install train ## Boot the real stack (SQLite, then PostgreSQL) and talk to it, also in Chromium
	$(SERVICES)/pytest -q tests/e2e

bench: install train ## Measure turn latency against stock Rasa (REST, then WhatsApp), memory at rest, handoff; then NLU
	$(SERVICES)/python -m bench
	$(SERVICES)/python -m bench.whatsapp
	$(SERVICES)/python -m bench.handoff
	$(MAKE) bench-nlu

bench-nlu: .venv-bot/.synced $(SPACY_PIPELINE)/meta.json ## Our NLU pipeline against Rasa's default, on the held-out set
	$(BOT)/python -m bench.nlu

clean: ## Remove environments, models and runtime data
	rm -rf .tools .venv .venv-bot models/*.tar.gz $(SPACY_PIPELINE) var .rasa channels/webchat/node_modules channels/webchat/static/vendor
