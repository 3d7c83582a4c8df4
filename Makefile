# Every target sets itself up: a fresh machine needs only `make main` (the main job) and `make test` (every test).
SHELL := /bin/bash
VENV  ?= .venv
BIN   := $(VENV)/bin
STAMP := $(VENV)/.installed
# Tests and the main job never download: they run on the offline data tree the package writes itself.
export RESNET_COURSE_DATA ?= offline

.PHONY: main test pytest nbtest export clean-nbs

$(STAMP): settings.ini setup.py
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]" 2>&1 | grep -v "^WARNING: Location" || true
	$(BIN)/python -c "import resnet_course, nbdev, fastai, nbgrader" # fail here, not later, if the install broke
	touch $(STAMP)

main: $(STAMP)  ## the main job: train the chapter's five models on the offline data and print the results table
	$(BIN)/resnet-course compare

test: pytest nbtest  ## every test: pytest (incl. nbdev sync/clean checks) and every lesson notebook

pytest: $(STAMP)
	$(BIN)/python -m pytest tests -q -n 2

nbtest: $(STAMP)
	$(BIN)/nbdev_test --n_workers 2 --timing

export: $(STAMP)  ## after editing a notebook: export the module and clean the notebooks
	$(BIN)/nbdev_export
	$(BIN)/nbdev_clean
