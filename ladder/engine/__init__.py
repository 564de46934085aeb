"""The title translation engine: plain Python, no Django, no database, no HTTP.

The web layer reads ladders from the database into immutable snapshots, and the engine answers
from those alone. From the bottom up:

* ``constants``: every tunable and limit;
* ``normalize``: canonical forms of titles and level codes;
* ``levels``: the records a snapshot is made of (levels, aliases, reference rungs);
* ``results``: every answer the engine gives, as plain dataclasses;
* ``index``, ``snapshot``: the lookup index built from a ladder's levels and aliases, and the
  ladder and framework snapshots that hold them;
* ``vocabulary``, ``interpret``, ``understand``: understanding a title no ladder holds (its job
  family, seniority, track and place on the scale), driven by a vocabulary given as plain data;
* ``match``: a level or placement matched against another ladder on the reference scale;
* ``fuzzy``, ``resolve``: a title resolved in a ladder, forgiving typos;
* ``translate``, ``career``, ``anchors``: single titles and batches translated, career paths, and
  anchors guessed for levels that lack one.

No module imports one above it (``lint-imports`` checks that the engine has no cycles and imports
nothing from Django or the rest of ``ladder``).
"""

from ladder.engine.anchors import infer_anchors, ladder_warnings, settle_inferred_spans, title_hint
from ladder.engine.career import career_path, reference_for
from ladder.engine.constants import REFERENCE_KEY, TRACKS
from ladder.engine.levels import AliasSnap, LevelSnap, ReferenceLevelSnap
from ladder.engine.match import Placement, match_level, match_placement, rank_levels
from ladder.engine.normalize import extract_code, normalize_code, normalize_title
from ladder.engine.resolve import resolve
from ladder.engine.results import (
    Alternative,
    CareerPath,
    CareerStep,
    FocusSplit,
    MatchCandidate,
    MatchResult,
    Resolution,
    ResolveError,
    TitleQuery,
    TranslationResult,
    Understanding,
)
from ladder.engine.snapshot import FrameworkSnapshot, LadderSnapshot
from ladder.engine.translate import translate, translate_many
from ladder.engine.understand import Vocabulary
from ladder.engine.vocabulary import VocabularyError

__all__ = [
    "REFERENCE_KEY",
    "TRACKS",
    "AliasSnap",
    "Alternative",
    "CareerPath",
    "CareerStep",
    "FocusSplit",
    "FrameworkSnapshot",
    "LadderSnapshot",
    "LevelSnap",
    "MatchCandidate",
    "MatchResult",
    "Placement",
    "ReferenceLevelSnap",
    "Resolution",
    "ResolveError",
    "TitleQuery",
    "TranslationResult",
    "Understanding",
    "Vocabulary",
    "VocabularyError",
    "career_path",
    "extract_code",
    "infer_anchors",
    "ladder_warnings",
    "match_level",
    "match_placement",
    "normalize_code",
    "normalize_title",
    "rank_levels",
    "reference_for",
    "resolve",
    "settle_inferred_spans",
    "title_hint",
    "translate",
    "translate_many",
]
