"""The participant page's budget: what a phone downloads, and how soon it reads the prompt.

Phones join on venue Wi-Fi, so the live page must stay small and quick:
every response it needs (HTML, CSS, JS, vendored libraries, the catalogue)
is counted gzipped, as a server or proxy would send it, and must stay under
150 KB; the first prompt must be readable within a second of navigation on
loopback (on a server another phone has already warmed up). Nothing may
come from another host (no CDN: it works on a LAN).
"""

from __future__ import annotations

import gzip
import json
import time
from urllib.parse import urlsplit

from .pages import ARTIFACTS, connected, expect

BUDGET_BYTES = 150 * 1024
PROMPT_DEADLINE_MS = 1000
FIRST_PROMPT = "Tell me about a high point"

#: Runs in the page before its own scripts: notes when the first prompt is
#: visible and when the live connection is up, in ms since navigation start.
TIMING_SCRIPT = """
(() => {
  const marks = (window.__marks = {});
  const visible = (node) =>
    node && node.textContent.trim() && (node.checkVisibility ? node.checkVisibility() : true);
  const look = () => {
    if (marks.prompt === undefined && visible(document.querySelector("#prompt-texts li, #prompt-texts p"))) {
      marks.prompt = performance.now();
    }
    const conn = document.getElementById("conn");
    if (marks.connected === undefined && conn && conn.dataset.state === "connected") {
      marks.connected = performance.now();
    }
    if (marks.prompt === undefined || marks.connected === undefined) requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) marks[entry.name] = entry.startTime;
  }).observe({ type: "paint", buffered: true });
})();
"""


def test_participant_page_weight_and_time_to_prompt(people, live_server, report):
    workshop = live_server.create_workshop(
        title="Budget", topic="How do we keep phones fast on venue Wi-Fi?"
    )
    live_server.set_phase(workshop["id"], "discover")

    def phone(name):
        # Joining through the API from the phone's context sets its cookie.
        context = people.context("phone")
        joined = context.request.post("/api/join", data={"code": workshop["code"], "name": name})
        assert joined.status == 201, joined.text()
        live = urlsplit(joined.json()["live_url"]).path
        return context, people.page(f"budget phone {name}", context=context), live

    # A first phone warms the server up (templates compiled), as in any room.
    _, first, live = phone("Eli")
    first.goto(live)
    connected(first)
    first.close()

    # The measured phone is fresh: nothing in its cache.
    context, page, live = phone("Dana")
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("websocket", lambda socket: requested.append(socket.url))
    page.add_init_script(TIMING_SCRIPT)

    started = time.perf_counter()
    page.goto(live, wait_until="commit")
    expect(page.get_by_text(FIRST_PROMPT)).to_be_visible()
    seen_after_ms = (time.perf_counter() - started) * 1000
    connected(page)
    ready_after_ms = (time.perf_counter() - started) * 1000
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.__marks.prompt !== undefined")
    page.wait_for_function("() => window.__marks['first-contentful-paint'] !== undefined")
    marks = page.evaluate("() => window.__marks")
    # Laid out is not yet seen: the prompt is on screen at the first paint that follows.
    prompt_ms = max(marks["prompt"], marks["first-contentful-paint"])

    # The page's own list of what it loaded: the document and every resource.
    urls = page.evaluate(
        """() => [
          ...performance.getEntriesByType("navigation"),
          ...performance.getEntriesByType("resource"),
        ].map((entry) => entry.name)"""
    )
    assets = [url for url in dict.fromkeys(urls) if "/socket.io/" not in urlsplit(url).path]
    rows = []
    for url in assets:
        response = context.request.get(url)
        # Chromium asks for /favicon.ico by itself; the app has none, and the
        # answer (an error page) still travels, so it counts.
        assert response.ok or urlsplit(url).path == "/favicon.ico", f"{url}: {response.status}"
        body = response.body()
        rows.append((len(gzip.compress(body)), len(body), urlsplit(url).path))
    total_gzip = sum(r[0] for r in rows)
    total_raw = sum(r[1] for r in rows)

    report(
        f"participant page: {len(rows)} files, {total_gzip / 1024:.1f} KB gzipped "
        f"({total_raw / 1024:.1f} KB raw), budget {BUDGET_BYTES // 1024} KB"
    )
    for gz, raw, path in sorted(rows, reverse=True):
        report(f"  {gz / 1024:6.1f} KB gz {raw / 1024:7.1f} KB raw  {path}")
    report(
        f"participant page: prompt visible {prompt_ms:.0f} ms after navigation start "
        f"(laid out {marks['prompt']:.0f} ms, first contentful paint "
        f"{marks['first-contentful-paint']:.0f} ms, live connection "
        f"{marks.get('connected', float('nan')):.0f} ms); seen by the test "
        f"after {seen_after_ms:.0f} ms, connected after {ready_after_ms:.0f} ms"
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "participant-budget.json").write_text(
        json.dumps(
            {
                "gzip_bytes": total_gzip,
                "raw_bytes": total_raw,
                "budget_bytes": BUDGET_BYTES,
                "files": [{"path": p, "gzip": g, "raw": r} for g, r, p in rows],
                "prompt_visible_ms": prompt_ms,
                "first_contentful_paint_ms": marks.get("first-contentful-paint"),
                "connected_ms": marks.get("connected"),
            },
            indent=1,
        )
    )

    kinds = {path.rsplit(".", 1)[-1] for _, _, path in rows if "." in path.rsplit("/", 1)[-1]}
    assert {"css", "js"} <= kinds, f"the page's own files were not all counted: {rows}"
    assert total_gzip < BUDGET_BYTES, f"{total_gzip} bytes gzipped, budget {BUDGET_BYTES}"
    assert prompt_ms < PROMPT_DEADLINE_MS, f"prompt visible after {prompt_ms:.0f} ms"

    # Works on a LAN with no internet: every request went to this server.
    server = urlsplit(live_server.url).netloc
    foreign = [url for url in requested if urlsplit(url).netloc != server]
    assert not foreign, f"requests to other hosts: {foreign}"
    assert any(url.startswith("ws://") for url in requested), "the live page opened no WebSocket"
    people.assert_clean()
