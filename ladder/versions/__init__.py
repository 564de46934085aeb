"""Ladder versions (DESIGN §5): every accepted change keeps the whole ladder as an immutable version.

Storage. A version is one ``LadderVersion`` row; the levels it holds are ``LevelRevision`` rows, each a
level's whole state (fields and aliases) valid over a range of ``seq`` (the order in which versions took
effect): ``from_seq`` ≤ seq < ``to_seq``. A new version closes the rows of the levels it changed and
opens one row per changed level, so storage grows with the size of the changes, not with the ladder
times the versions. The ladder of version *n* is the rows open at its ``seq``: one indexed query.

Scheduled versions (written by ``services.schedule``, applied by ``services.due``). A PUT with a
future ``effective_from`` is validated against the ladder as it stands (inside a savepoint that is
rolled back) and kept as a *scheduled* version holding the whole
resulting ladder in ``document``. ``as_of`` reads on or after its day see it at once. It becomes the
current ladder on its day without a job: the first write, or the first read of the ladder document,
a translation or a career path on or after that day applies it (``apply_due``) under the ladder's
lock, as a whole-document PUT made by the version's author. Until then it can be replaced or
cancelled, with ``If-Match`` on its own ETag.

Days are UTC days. A date before a ladder's first version reads the first version: pmladder knows a
ladder from its first version on (existing ladders got a baseline version when versions were added).

The parts: ``states`` (a level's state as plain data), ``record`` (writing applied versions),
``read`` (the version of a day, the levels of versions) and ``diff``. Callers use the names below.
"""

from ladder.versions.diff import diff_states
from ladder.versions.read import LIVE_STATUSES, in_effect, states_for_versions, states_of, summary
from ladder.versions.record import current_states, record_version, today
from ladder.versions.states import document_levels, level_state, ordered

__all__ = [
    "LIVE_STATUSES",
    "current_states",
    "diff_states",
    "document_levels",
    "in_effect",
    "level_state",
    "ordered",
    "record_version",
    "states_for_versions",
    "states_of",
    "summary",
    "today",
]
