"""PLM Lab core: models, data and experiments for teaching transfer learning.

This package knows nothing of Streamlit: every function returns plain data (arrays, DataFrames,
dataclasses) so the same core runs from the app, a notebook, the CLI and the tests.
Heavy libraries (torch, transformers, umap) are imported lazily inside the functions that need them.
"""

__version__ = "0.1.0"

import os as _os

# Offline by design: nothing may reach a model hub, and library progress bars only clutter the UI and logs.
_os.environ.setdefault("HF_HUB_OFFLINE", "1")
_os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
_os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
_os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
_os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from plm_core.wiring import wire as _wire  # noqa: E402 - the composition root, after the environment above

_wire()  # job kinds, backbone specs and loaders, registered explicitly (plm_core/wiring.py)
