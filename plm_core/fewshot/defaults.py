"""The Few-shot lab's K values and default curve, sized for a live lesson (no heavy imports: recipes read it)."""

from __future__ import annotations

DEFAULT_SHOTS: tuple[int, ...] = (0, 1, 2, 4, 8, 16, 32)
SHOT_CHOICES: tuple[int, ...] = (0, 1, 2, 4, 8, 16, 32, 64, 128)
PROMPT_K_CHOICES: tuple[int, ...] = (0, 1, 2, 4, 8, 16, 32)
CURVE_TEST_LIMIT = 60  # the default curve's test set: SmolLM2 reads every test text once per (K, seed)
PROMPT_MAX_K = 2  # the default curve prompts with K = 0, 1, 2 ("zero, one, few"); the probe goes on to 32
