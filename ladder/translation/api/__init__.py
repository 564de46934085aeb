"""``/translate``, ``/career-path`` and ``/titles/understand``: HTTP in and out around ``ladder.translation``."""
