"""PLM Lab core: models, data and experiments for teaching transfer learning.

This package knows nothing of Streamlit: every function returns plain data (arrays, DataFrames,
dataclasses) so the same core runs from the app, a notebook, the CLI and the tests.
Heavy libraries (torch, transformers, umap) are imported lazily inside the functions that need them.
"""

__version__ = "0.1.0"
