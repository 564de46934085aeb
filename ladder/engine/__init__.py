"""The title translation engine: plain Python, no Django, no database, no HTTP.

The web layer reads ladders from the database into immutable snapshots (``snapshot``), and the
engine answers from those alone: normalise titles and codes (``normalize``), resolve a title in a
ladder (``resolve``), match a level against another ladder on the reference scale (``match``),
translate single titles or batches (``translate``), describe career paths (``career``), guess
anchors for levels that lack one (``anchors``), and understand a title no ladder holds: its job
family, seniority, track and place on the scale (``understand``, driven by a vocabulary given as
plain data). Their tunables and limits are all in ``constants``.
"""

from ladder.engine.anchors import infer_anchors, ladder_warnings, settle_inferred_spans, title_hint
from ladder.engine.career import CareerPath, CareerStep, FocusSplit, career_path, reference_for
from ladder.engine.constants import REFERENCE_KEY, TRACKS
from ladder.engine.match import MatchCandidate, MatchResult, Placement, match_level, match_placement, rank_levels
from ladder.engine.normalize import extract_code, normalize_code, normalize_title
from ladder.engine.resolve import Resolution, ResolveError, resolve
from ladder.engine.snapshot import (
    AliasSnap,
    FrameworkSnapshot,
    LadderSnapshot,
    LevelSnap,
    ReferenceLevelSnap,
)
from ladder.engine.translate import Alternative, TitleQuery, TranslationResult, translate, translate_many
from ladder.engine.understand import Understanding, Vocabulary, VocabularyError

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
