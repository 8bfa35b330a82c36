"""Thai understanding for RianTo: `understand(text, today) -> Understanding` (DESIGN §3).

Pure and thread-safe; the model is trained from the repository's data on first use (or by
`warm_up()`), and nothing is read from the network.
"""

from nlp.ids import find_national_ids, is_valid_national_id, mask_national_ids
from nlp.reader import understand, warm_up
from nlp.understanding import INTENTS, Understanding

__all__ = [
    "INTENTS",
    "Understanding",
    "find_national_ids",
    "is_valid_national_id",
    "mask_national_ids",
    "understand",
    "warm_up",
]
