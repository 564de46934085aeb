"""Title translation between companies, over the engine (``ladder.engine``) and the database.

- ``ladders``: which ladders a caller may use, as plain references (one query, remembered per process);
- ``snapshots``: engine snapshots built from the database with a constant number of queries;
- ``cache``: where snapshots are kept between requests (this process, then Django's cache);
- ``service``: translate and career-path requests, raising only ``ladder.exceptions`` errors;
- ``understanding``: titles placed on the reference levels with no company involved;
- ``api``: the HTTP side (``/translate``, ``/career-path``, ``/titles/understand``), CSV in and out.
"""
