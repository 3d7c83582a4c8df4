"""Why lesson 2 and lesson 5 disagreed for the same model and seed, and that `seeded_learner` fixes it (prints accuracies; asserts nothing).

The old lesson 2 built one set of loaders, called `show_batch`, then trained two models on them; lesson 5 built fresh
loaders per model. fastai moves a loader's shuffling generator on at every iteration, so the batch orders differed.
Run: RESNET_COURSE_DATA=offline OMP_NUM_THREADS=1 python bench/independence.py   (about 3 minutes on one CPU core)
"""
import os; os.environ.setdefault('RESNET_COURSE_DATA', 'offline')
from fastai.vision.all import set_seed
from resnet_course.data import lesson_setup, setup_data, get_learner, seeded_learner
from resnet_course.resblock import resblock_model
from resnet_course.compare import train_one
def fit(learn):
    with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(3, 3e-3)
    return round(float(learn.recorder.values[-1][2]), 4)
setup = lesson_setup()
# lesson 02 before the fix: one set of loaders, shown, then reused for 1 and 2 ResBlocks
dls = setup_data(setup); dls.show_batch(max_n=8, nrows=1)
old = {}
for n in (1, 2):
    set_seed(42); old[n] = fit(get_learner(dls, resblock_model(dls.c, n)))
print('lesson 02, old way (show_batch, shared loaders):', old, flush=True)
# old lesson 05 way: fresh loaders, no show_batch
set_seed(42); d5 = setup_data(setup); set_seed(42)
print('lesson 05, old way (fresh loaders):', {1: fit(get_learner(d5, resblock_model(d5.c, 1)))}, flush=True)
# new: compare.train_one and seeded_learner after a show_batch on its own loaders
print('compare.train_one resblock1 seed 42:', train_one('resblock1', seed=42)[0]['accuracy'], flush=True)
new = {}
for n in (1, 2):
    learn = seeded_learner(setup, lambda c: resblock_model(c, n), seed=42); learn.dls.show_batch(max_n=8, nrows=1)
    new[n] = fit(learn)
print('seeded_learner after show_batch:', new, flush=True)
print('compare.train_one resblock2 seed 42:', train_one('resblock2', seed=42)[0]['accuracy'], flush=True)
