"""The engine's tunables and limits, in one place.

Thresholds, scores and weights decide answers and confidences; limits bound the work one title can
cause and the memory the process-wide memo tables take. Every engine module reads them from here,
and the web layer reads the API's own limit on titles (``MAX_TITLE_LENGTH``) from here too.
"""

from __future__ import annotations

# --- tracks and the reference ladder -------------------------------------------------------------

TRACKS: tuple[str, ...] = ("ic", "management", "executive")
# Where a track sorts: individual contributor, then management, then executive; any other track
# sorts after them (``TRACK_ORDER.get(track, len(TRACKS))``).
TRACK_ORDER: dict[str, int] = {track: order for order, track in enumerate(TRACKS)}
# The two leadership tracks, each the other's closest neighbour when matching across tracks.
LEADERSHIP_TRACKS: frozenset[str] = frozenset({"management", "executive"})
# The key of the reference framework's own ladder (a company's key is its slug).
REFERENCE_KEY = "reference"
# The reference scale runs from the bottom of rung 1 to the top of rung 7: an understood title is
# never placed outside it.
SCALE_START = 0.5
SCALE_END = 7.5

# --- titles and codes ----------------------------------------------------------------------------

# The longest title a request may carry: a longer one is refused per title (``title_too_long``) and
# the request serializers use it as their ``max_length``.
MAX_TITLE_LENGTH = 200
# The engine's own bound, above MAX_TITLE_LENGTH so that every title the API accepts is read in
# full. A longer title (only a direct caller can pass one) is looked up as it stands and
# normalised, but never fuzzy-matched, searched for a code, memoised or kept in the normaliser's
# cache; suggestions and parses read its first LONG_TITLE_LENGTH characters.
LONG_TITLE_LENGTH = 256
# A code longer than this is never a real one: such a request is answered without memoising it.
MEMO_CODE_LENGTH = 32

# --- resolving a title in a ladder ---------------------------------------------------------------

# Score of a title found only as an alias outside its validity window: the level it named then,
# which may since have changed.
EXPIRED_ALIAS_SCORE = 0.8
# Minimum similarity (rapidfuzz token_sort_ratio, 0..100) for a fuzzy match.
FUZZY_THRESHOLD = 88.0
# A fuzzy match found after dropping words the ladder does not know must be this close.
REDUCED_THRESHOLD = 95.0
# Minimum rapidfuzz ratio for fixing a misspelt word ("senoir" -> "senior", "manger" -> "manager").
# Chosen above 80 so that "leader" does not turn into "lead".
CORRECTION_THRESHOLD = 82.0
# A title that differs from a ladder string only by leaving out the job family word ("Director"
# for "Director of Product") is accepted with this score.
FAMILY_WORD_SCORE = 0.9
# Level titles suggested for a title that resolves to nothing.
SUGGESTIONS = 3

# --- matching and translating --------------------------------------------------------------------

# Weight of a candidate level by track distance: same track, leadership neighbour, anything else.
TRACK_WEIGHTS: tuple[float, float, float] = (1.0, 0.75, 0.5)
# A level that does not overlap the source counts for this share of an overlapping one, at most.
NEAREST_FACTOR = 0.3
# Runners-up given beside the best level.
ALTERNATIVES = 3
# Confidence is multiplied by this when an anchor on either side was inferred, not stated.
INFERRED_FACTOR = 0.8
# Weight of a stated anchor against a title's guess (1) when anchors are inferred: stated anchors
# always win.
EXPLICIT_ANCHOR_WEIGHT = 10_000

# --- memory --------------------------------------------------------------------------------------
# Entries in the process-wide memo tables; a full table is emptied and refilled. At most a few
# hundred bytes each, so together they stay within a few megabytes however many snapshots and
# vocabularies a process holds.

# Resolutions, and the levels understood titles sit beside.
RESOLUTION_MEMO_LIMIT = 8192
# Misspelt words and what they were corrected to.
CORRECTION_MEMO_LIMIT = 4096
# Matches of a placement against a ladder.
MATCH_MEMO_LIMIT = 4096
# Parses of one vocabulary: whole titles, segments and meanings, each table this large.
PARSE_MEMO_LIMIT = 16384
# Titles whose normal form is remembered: about 6 MB when all are LONG_TITLE_LENGTH ASCII characters.
NORMALIZED_TITLE_CACHE = 8192
# Days whose fuzzy candidate pool an index remembers (pools themselves are shared between days).
POOL_DAYS = 256
