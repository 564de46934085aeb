"""The title vocabulary on the Django side: read the data file (and the operator's overrides) once.

The engine's parser (``ladder.engine.understand``) takes plain data; this module only finds the
files. ``fixtures/vocabulary/title-vocabulary.json`` is the versioned vocabulary that ships with
the code; ``PMLADDER_VOCABULARY_OVERRIDES`` names extra files (comma-separated paths) that extend
it, so that an operator can teach the parser a house title or a job family without a release.
"""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings

from ladder.engine.understand import Vocabulary

VOCABULARY_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "vocabulary" / "title-vocabulary.json"

_lock = threading.Lock()
_loaded: dict[tuple[str, ...], Vocabulary] = {}


def title_vocabulary() -> Vocabulary:
    """The vocabulary for the configured override files, built once per process."""
    overrides = tuple(str(p) for p in getattr(settings, "PMLADDER_VOCABULARY_OVERRIDES", ()) or ())
    found = _loaded.get(overrides)
    if found is None:
        with _lock:
            found = _loaded.get(overrides)
            if found is None:
                found = Vocabulary.from_file(VOCABULARY_FILE, overrides)
                _loaded[overrides] = found
    return found
