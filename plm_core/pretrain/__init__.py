"""The pretraining studio: corpus recipe, shared tokenizer, five objectives, tiny models, trainer, checkpoints.

Light on import (no torch here): the CLI and the registry import this package's names cheaply.
"""

OBJECTIVES: tuple[str, ...] = ("mlm", "clm", "span", "bilm", "sgns")
