"""nbgrader configuration for the resnet_course assignments.

The course root is this file's own folder, so a copy of nbs/_course (as the tests make) is a
self-contained course: run nbgrader from inside it, or load this file with traitlets.
"""
import os

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

_root = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = _root
c.CourseDirectory.course_id = "resnet_course"
# The gradebook lives next to this file and is gitignored.
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(_root, "gradebook.db")

# Per-cell time limit while validating and autograding. Every test cell is meant to finish in a few
# seconds on a CPU; 60 s leaves room for a slow machine without letting an infinite loop stall grading.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True

# nbgrader marks a test cell failed if it wrote anything to stderr. A harmless library warning
# (torch and fastai emit UserWarning/DeprecationWarning/FutureWarning) must not zero a correct answer,
# so during autograding drop stderr chunks that are Python warning messages. Real errors are unaffected:
# a failing assert or exception is an "error" output, not a stderr stream.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"(?m)^[^\n]*:\d+: \w*Warning: "
