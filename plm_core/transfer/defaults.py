"""The Transfer lab's default race, sized for a live lesson on a 2-core CPU (no heavy imports: the page reads it).

bench/lessons.py times the default race (the five modes) and checks its shape: pretrained >> scratch.
"""

from __future__ import annotations

RACE_N = 128  # training examples drawn for a race
RACE_EPOCHS = 3  # gradual unfreezing needs three: head, + top layer, + the next one
RACE_TEST = 150  # held-out examples every racer is scored on after every epoch
