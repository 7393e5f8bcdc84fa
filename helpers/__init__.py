"""Helper package of the bilingual deep-learning course.

One module per concern:

- ``activations``: sigmoid / ReLU and their backward steps (given to learners);
- ``checker``: runs a learner's function on stored cases and explains mistakes;
- ``case_store``: reads and writes nested numpy values in HDF5 files;
- ``errors``: the bilingual error type every module raises for bad input;
- ``runtime``: whether a notebook runs under the grader (to shorten long cells);
- ``deep_nn``: the L-layer building blocks of the first assignment, for later ones;
- ``three_layer_net``: the three-layer network the second course trains;
- ``gradient_check_utils``: parameters and gradients as one vector and back;
- ``optimization_utils``: what the optimization assignment's model is built on;
- ``planar_data``, ``cat_data``, ``goalkeeper_data``, ``digits_data``: the course's datasets;
- ``tuning_data``: the hyperparameter-tuning assignment's seeded data and small models;
- ``data_files``: where the data files are (``$DLCOURSE_DATA_DIR``, the installed copy, the repository);
- ``plotting``: decision boundaries and cost curves, with a CJK font when installed;
- ``harvest``: what a graded kernel hands back to the cohort grader (the grader itself is
  instructor tooling, in the course repository's ``grading/cohort``).
"""

__version__ = "0.1.0"
