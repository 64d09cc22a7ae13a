"""Real-browser tests (Chromium via Playwright) against the real server; see conftest.py."""
