"""Scale benchmark: many phones in live workshops, against the real server (issue #7).

    .venv/bin/python -m bench.load                      # app and bare ceiling, eventlet, SQLite
    .venv/bin/python -m bench.load --no-compare         # the app alone
    .venv/bin/python -m bench.load --quick              # 100 clients, for development
    .venv/bin/python -m bench.load --mode gevent --database postgres --json out.json
    .venv/bin/python -m bench.load --workers 2 --database postgres   # two workers against one
    .venv/bin/python -m bench.load --url http://127.0.0.1:5000 --email E --password P

Three scenarios, each against a freshly started server (so CPU time and peak
RSS are the scenario's own):

- ``join``: N participants join (``POST /api/join``) and connect over
  WebSocket; then a few probe contributions check that all N receive them.
- ``burst``: a room of R connected participants; C of them contribute, spread
  evenly over S seconds; fan-out latency from ``contribute`` sent to
  ``contribution`` received at every other client.
- ``snapshot``: a workshop filled with 5,000 contributions through the
  protocol, then late joiners time their snapshot (and the facilitator's
  ``GET /api/workshops/<id>``).

The modules, each usable on its own by other benchmarks:

- ``cli``: options, the plan of targets, the JSON report;
- ``server``: the servers under test (``Target``), their database and Redis;
- ``api``: HTTP as outside clients (``requests`` blocking, ``aiohttp`` for phones);
- ``phone``: a phone's WebSocket (Engine.IO/Socket.IO frames) and what it counts;
- ``generator``: the worker processes holding the phones;
- ``scenarios``: join, burst and snapshot (late joiners);
- ``stats``: percentiles, process CPU and memory, the machine's load;
- ``report``: the tables, ratios and the issue's targets.

Only 127.0.0.1 is ever targeted, and every loop is bounded in count and time.
See bench/README.md and docs/performance.md.
"""
