"""Benchmark: the report app's first paint against a trivial preheated Voila page, and how
fast a filter change redraws. Real Voila, real headless Chromium (Debian's chromium).

Targets: app first paint at most 1.3x the trivial page's, measured in the same run; a filter
change redraws in at most 0.3 s.

    .venv/bin/python bench/bench_app.py [--repeat N]     (also part of make bench)
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "data_samples" / "involvement-as-coproduction"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# time for the kernel pool to refill after a page load
PREHEAT_WAIT_S = float(os.environ.get("PREHEAT_WAIT_S", 12))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "voila/static/voila.js", timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up")


def first_paints(browser, url: str, selector: str, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        time.sleep(PREHEAT_WAIT_S)
        page = browser.new_page()
        start = time.perf_counter()
        page.goto(url)
        page.wait_for_selector(selector, timeout=120_000)
        times.append(time.perf_counter() - start)
        page.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        folder = tmp / SAMPLE.name
        shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("runs"))
        subprocess.run([sys.executable, "-m", "coprod_eval", "run", str(folder), "--no-progress"],
                       check=True, capture_output=True)
        trivial = tmp / "trivial" / "trivial.ipynb"
        trivial.parent.mkdir()
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("print('hello')")]
        nbformat.write(nb, trivial)

        app_port, trivial_port = free_port(), free_port()
        app = subprocess.Popen([sys.executable, "-m", "coprod_eval", "serve", str(folder),
                                "--port", str(app_port)], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
        plain = subprocess.Popen([sys.executable, "-m", "voila", str(trivial), "--no-browser",
                                  f"--port={trivial_port}", "--Voila.ip=127.0.0.1",
                                  "--preheat_kernel=True", "--pool_size=1"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 cwd=trivial.parent, env=dict(os.environ))
        try:
            app_url = f"http://127.0.0.1:{app_port}/"
            trivial_url = f"http://127.0.0.1:{trivial_port}/"
            wait_up(app_url)
            wait_up(trivial_url)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
                trivial_times, app_times = [], []
                for _ in range(args.repeat):  # interleaved, so load hits both alike
                    trivial_times += first_paints(browser, trivial_url, "text=hello", 1)
                    app_times += first_paints(browser, app_url, ".verdict", 1)
                page = browser.new_page()
                page.goto(app_url)
                page.wait_for_selector(".coprod-detail figure svg", timeout=120_000)
                select = page.locator(".coprod-app > .widget-hbox .widget-dropdown select")
                count = select.evaluate("s => s.options.length")
                redraws = []
                for index in list(range(1, count)) + [0]:  # each principle, then all again
                    start = time.perf_counter()
                    select.select_option(index=index)
                    expected = count - 1 if index == 0 else 1
                    page.wait_for_function(
                        "n => document.querySelectorAll('.coprod-detail section.principle')"
                        ".length === n", arg=expected)
                    redraws.append(time.perf_counter() - start)
                browser.close()
        finally:
            for process in (app, plain):
                process.terminate()
                process.wait(timeout=20)
    trivial_s, app_s = statistics.median(trivial_times), statistics.median(app_times)
    ratio = app_s / trivial_s
    print(f"trivial preheated Voila page, first paint: median {trivial_s:.2f} s over "
          f"{len(trivial_times)} loads")
    print(f"coprod-eval report app, first paint (verdict shown): median {app_s:.2f} s over "
          f"{len(app_times)} loads")
    met = "met" if ratio <= 1.3 else "NOT met"
    print(f"ratio app / trivial: {ratio:.2f}  (target <= 1.3: {met})")
    print(f"filter change redraw: median {statistics.median(redraws):.2f} s, max "
          f"{max(redraws):.2f} s over {len(redraws)} changes  (target <= 0.3 s: "
          f"{'met' if max(redraws) <= 0.3 else 'NOT met'})")


if __name__ == "__main__":
    main()
