"""Helper package of the bilingual deep-learning course.

One module per concern:

- ``activations``: sigmoid / ReLU and their backward steps (given to learners);
- ``checker``: runs a learner's function on stored cases and explains mistakes;
- ``case_store``: reads and writes nested numpy values in HDF5 files;
- ``errors``: the bilingual error type every module raises for bad input.
"""

__version__ = "0.1.0"
