# Every target sets itself up: a fresh machine needs only `make main` (the main job) and `make test` (every test).
SHELL := /bin/bash
VENV  ?= .venv
BIN   := $(VENV)/bin
STAMP := $(VENV)/.installed
# Tests and the main job never download: they run on the offline data tree the package writes itself.
export RESNET_COURSE_DATA ?= offline

# pytest and nbdev_test run 2 workers on 2 cores: one thread each, or torch's threads fight over the cores.
TEST_ENV := OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
# The PostgreSQL and browser tests start their own server / browser (tests/conftest.py); under `make test` they must run,
# not skip: a missing PostgreSQL or Chromium fails the run.
PYTEST_ENV := $(TEST_ENV) RESNET_COURSE_REQUIRE_PG=1 RESNET_COURSE_REQUIRE_BROWSER=1

.PHONY: main compare test system-packages pytest nbtest export readme release bench bench-gpu bench-grading check-install colab

$(STAMP): settings.ini setup.py
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	$(BIN)/python -c "import resnet_course, nbdev, fastai, nbgrader, pytest, xdist" # fail here, not later, if the install broke
	touch $(STAMP)

main: $(STAMP)  ## the main job: the grading demo (collect, autograde, feedback, export, report on 16 sample submissions)
	$(TEST_ENV) $(BIN)/resnet-course demo --workers 2

compare: $(STAMP)  ## train the chapter's five models on the offline data and print the results table
	$(BIN)/resnet-course compare --out runs/compare

bench: $(STAMP)  ## loader and train-step benchmarks: prints images/s, ms/step and ratios (a few minutes on 2 CPUs)
	$(BIN)/python bench/loader.py
	$(BIN)/python bench/step.py

bench-gpu: $(STAMP)  ## on a machine with a GPU: epoch time per data pipeline vs GPU-resident tensors, step time vs xresnet (bench/gpu.sh)
	bash bench/gpu.sh

bench-grading: $(STAMP)  ## plain sequential nbgrader vs resnet-course autograde --workers 2 on the 16 samples (prints the ratio)
	$(TEST_ENV) $(BIN)/python bench/autograde.py 2

test: pytest nbtest  ## every test: pytest (incl. nbdev sync/clean checks) and every lesson notebook

system-packages:  ## the Debian packages the PostgreSQL and browser tests need, where missing (PostgreSQL, Chromium, ChromeDriver)
	bash tests/system_packages.sh

pytest: $(STAMP) system-packages
	$(PYTEST_ENV) $(BIN)/python -m pytest tests -q -n 2 --durations=8

nbtest: $(STAMP)
	$(TEST_ENV) $(BIN)/nbdev_test --n_workers 2 --timing

# Not part of `make test`: a new environment with torch and its CUDA libraries (GBs from the registry), several minutes.
check-install:  ## clean install, runtime requirements only, newest torch/fastai/fastcore, pyenv's Python 3.12 (PY=... for another)
	python3 tests/check_install.py $(if $(PY),--python $(PY))

colab: $(STAMP)  ## after changing user/repo/branch in settings.ini or adding a lesson: regenerate every Colab badge, install cell and link
	$(BIN)/python -m resnet_course.colab --fix
	$(BIN)/nbdev_clean
	$(MAKE) readme

export: $(STAMP)  ## after editing a notebook: export the module, clean the notebooks, regenerate README.md
	$(BIN)/nbdev_export
	$(BIN)/nbdev_clean
	$(BIN)/nbdev_clean --fname nbs/_course/source
	$(MAKE) readme

readme: $(STAMP)  ## README.md from nbs/index.ipynb (nbconvert: Quarto, which nbdev_readme needs, cannot be installed here)
	$(BIN)/jupyter nbconvert --to markdown --stdout nbs/index.ipynb 2>/dev/null > README.md

release: $(STAMP)  ## regenerate the student notebooks (nbs/_course/release) from nbs/_course/source with nbgrader
	$(BIN)/resnet-course release
