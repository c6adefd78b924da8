"""The report app's server: Voila, with the limits a commissioner-facing server needs.

``coprod-eval serve`` starts this in a process of its own (``python -m
coprod_eval.serve.appserver NOTEBOOK --port …``). It is Voila with:

- a first paint without a kernel: a request that has not run the page's script (``curl``,
  a link checker, a crawler) gets a static page naming the report and linking to it, and
  takes no kernel; the browser sets a cookie and asks again, and only then is a kernel
  started (so a loop of plain requests cannot fill the server);
- a hard cap on kernels (by default sized to the machine's memory): a request beyond it
  gets a plain "busy, try again in a minute" page (HTTP 503, Retry-After), never a new
  kernel — so nobody with ``curl`` can exhaust the server;
- culling: a kernel whose page never connected, or whose tab was closed, is shut down after
  a minute of inactivity; a connected but idle one after ten;
- the report files the page links to, for the page's users only (Voila gives them to anyone);
- quiet logs (no per-kernel warnings meant for notebook servers) and a clean stop on SIGINT
  or SIGTERM, kernels included.
"""

from __future__ import annotations

import asyncio
import html
import json
import signal
import sys
import time
from contextvars import ContextVar
from datetime import timedelta
from urllib.parse import quote

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Integer
from voila.app import Voila
from voila.static_file_handler import AllowListFileHandler
from voila.tornado.handler import TornadoVoilaHandler

KERNEL_MB = 320  # what one app kernel holds in memory, measured (bench_app)
BUSY_PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Busy: please try again</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,Arial,sans-serif;max-width:40rem;margin:3rem auto;
padding:0 1rem;color:#1b1b1b;line-height:1.5}}</style></head>
<body><main><h1>The report app is busy</h1>
<p>{why} Please try again in a minute.</p>
<p>The same report is also a single file, <code>report.html</code>, which opens in any
browser without this server: the evaluator can send it to you.</p></main></body></html>"""

# The page for a client that has not run a script: no kernel is started for it. A browser
# sets the cookie and asks again at once; one with cookies off is told why nothing happens.
SCRIPT_COOKIE = "coprod_eval_page"
FIRST_PAINT = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:;base64,=">
<style>body{{font-family:system-ui,Arial,sans-serif;max-width:40rem;margin:3rem auto;
padding:0 1rem;color:#1b1b1b;line-height:1.5}}a{{color:#1d4f91}}</style></head>
<body><main><h1>{title}</h1>
<p id="opening">The interactive report needs JavaScript and a cookie for this page; with
them it opens here in a moment.</p>
<p>The same report is also a single page: <a href="{report}">the report (HTML)</a>.</p>
</main><script>
(function () {{
  var name = {cookie}, opening = document.getElementById("opening");
  var refused = "The interactive report needs this page's cookie, which this browser does "
    + "not send back; the report linked below has the same content.";
  document.cookie = name + "=1; path=" + {path} + "; SameSite=Lax";
  try {{  // once only: a browser that keeps the cookie to itself is never asked again
    if (document.cookie.indexOf(name + "=1") < 0 || sessionStorage.getItem(name)) {{
      opening.textContent = refused;
      return;
    }}
    sessionStorage.setItem(name, "1");
  }} catch (e) {{
    opening.textContent = refused;
    return;
  }}
  opening.textContent = "Opening the interactive report\u2026";
  location.replace(location.href);
}})();
</script></body></html>"""

# A refused or missing page: one sentence to the browser, one line in the log (Jupyter's own
# error pages are not installed for Voila: without this, an empty page and a 10-line chain)
ERROR_PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>{code}: {title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>{title}</h1><p>{why}</p></main></body></html>"""
ERRORS = {
    403: ("Not offered here", "The report app offers only its own page and the report "
          "(HTML and PDF); open the address coprod-eval serve printed."),
    404: ("Not found", "Nothing is at this address; open the address coprod-eval serve "
          "printed."),
}
UNEXPECTED = ("Something went wrong", "The report app could not show this page; the report "
              "is also a single file, report.html, which the evaluator can send you.")


class OneLineErrors:
    """Error pages as a sentence, logged once (the access log's line), never a traceback."""

    def write_error(self, status_code, **kwargs):
        title, why = ERRORS.get(status_code, UNEXPECTED)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(ERROR_PAGE.format(code=status_code, title=title, why=why))

    def log_exception(self, typ, value, tb):
        if not (isinstance(value, web.HTTPError) and value.status_code < 500):
            super().log_exception(typ, value, tb)  # a real fault: its traceback, once


def notebook_title(path: str | None) -> str:
    """The title serve gave the app's notebook (the project's name), for the first paint."""
    import nbformat

    try:
        return str(nbformat.read(path, as_version=4).metadata.get("title")
                   or "Co-production evaluation")
    except (OSError, TypeError, ValueError):
        return "Co-production evaluation"


def default_cap() -> int:
    """Kernels this machine can hold: half its available memory, between 2 and 32."""
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            fields = dict(line.split(":", 1) for line in info)
        available_mb = int(fields["MemAvailable"].split()[0]) / 1024
    except (OSError, KeyError, ValueError):
        return 4
    return max(2, min(32, int(available_mb * 0.5 / KERNEL_MB)))


# The kernels the request being handled was given (set per request by the page handler).
_GIVEN: ContextVar[list | None] = ContextVar("coprod_eval_given_kernels", default=None)


class CullingKernelManager(AsyncMappingKernelManager):
    """Culls a kernel nobody is connected to sooner than one whose tab is open but idle,
    and notes which kernel each page request was given."""

    unconnected_timeout = Integer(60, config=True,
                                  help="seconds before a kernel with no page connected is shut "
                                       "down")

    async def start_kernel(self, *args, **kwargs):
        kernel_id = await super().start_kernel(*args, **kwargs)
        given = _GIVEN.get()
        # a kernel started for the page itself (not to refill the preheated pool)
        for_page = (kwargs.get("env") or {}).get("VOILA_PREHEAT") == "False"
        if given is not None and for_page:
            given.append(kernel_id)
        if not for_page:  # held ready for the next viewer: never culled while it waits
            self.pooled.add(kernel_id)
        return kernel_id

    @property
    def pooled(self) -> set[str]:
        if not hasattr(self, "_pooled"):
            self._pooled: set[str] = set()
        return self._pooled

    async def cull_kernel_if_idle(self, kernel_id):
        if kernel_id in self.pooled:  # culled, it would be started again at once, every minute
            return
        kernel = self._kernels.get(kernel_id)
        if kernel is not None and hasattr(kernel, "last_activity") and \
                not self._kernel_connections.get(kernel_id, 0):
            from jupyter_server._tz import utcnow

            if utcnow() - kernel.last_activity > timedelta(seconds=self.unconnected_timeout):
                self.log.info("Closing the kernel of a page that is no longer open (%s)",
                              kernel_id)
                await self.shutdown_kernel(kernel_id)
                return
        await super().cull_kernel_if_idle(kernel_id)


class CappedVoilaHandler(OneLineErrors, TornadoVoilaHandler):
    """Serves the app page unless every viewer's kernel the server may run is taken.

    The count is exact under concurrent requests: admission is checked and recorded with no
    await in between, and a request counts from admission until its kernel is known, then
    its kernel counts until it is shut down. The preheated pool is on top of the viewers.
    """

    @web.authenticated
    async def get(self, path=None):
        app = self.settings["coprod_app"]
        if not path and not self.get_cookie(SCRIPT_COOKIE):  # no script ran: no kernel
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            token = self.get_argument("token", "")  # the link works without the cookie too
            self.finish(FIRST_PAINT.format(
                title=html.escape(app.page_title), cookie=_js(SCRIPT_COOKIE),
                path=_js(self.base_url), report=html.escape(
                    "voila/files/report.html" + (f"?token={quote(token)}" if token else ""))))
            return
        if app.viewers_now() >= app.max_viewers:
            count = app.viewers_now()
            self._busy(f"{'One person is' if count == 1 else f'{count} people are'} viewing "
                       "it now, as many as this server allows at once.")
            return
        given: list[str] = []
        reset = _GIVEN.set(given)
        app.admitting += 1
        admitted, written = True, False
        parts = self.get_generator(path=path)
        try:
            progress = time.monotonic()
            while True:
                # A kernel can fail or hang where Voila does not pass it on (its own
                # rendering task, a preheated page's cells): the page would then wait, or
                # get Voila's heartbeat, for ever. Heartbeats are not progress.
                left = app.stall_seconds - (time.monotonic() - progress)
                try:
                    html_part = await asyncio.wait_for(anext(parts), timeout=max(left, 0.01))
                except StopAsyncIteration:
                    break
                except TimeoutError:
                    raise TimeoutError(f"no progress for {app.stall_seconds} s (nothing, or "
                                       "only Voila's heartbeat)") from None
                if admitted and given:
                    app.viewer_kernels.update(given)
                    app.admitting -= 1
                    admitted = False
                if html_part != HEARTBEAT:
                    progress = time.monotonic()
                self.write(html_part)
                self.flush()
                written = True
        except (RuntimeError, TimeoutError) as exc:  # a kernel that did not start in time
            if not _kernel_start_failed(exc):
                raise
            self.log.warning("A viewer's kernel could not be started (%s: %s); the busy "
                             "page was shown", type(exc).__name__, exc)
            why = "The server could not open a viewer for you in time."
            if not written:
                self._busy(why)
            else:  # the page's head is sent (its status too): the page becomes the busy one
                busy = BUSY_PAGE.format(why=why)
                body = json.dumps(busy[busy.index("<main>"):busy.index("</body>")])
                self.finish("<script>document.title='Busy: please try again';"
                            f"document.body.innerHTML={_js_safe(body)};</script>")
            for kernel_id in given:  # its slot freed now, not at the next cull
                try:
                    if kernel_id in self.kernel_manager:
                        await self.kernel_manager.shutdown_kernel(kernel_id, now=True)
                except Exception as failed:  # already gone, or never started
                    self.log.info("Kernel %s not shut down: %s", kernel_id, failed)
        finally:
            await parts.aclose()
            if admitted:
                app.viewer_kernels.update(given)
                app.admitting -= 1
            _GIVEN.reset(reset)

    def _busy(self, why: str) -> None:
        self.clear()
        self.set_status(503)
        self.set_header("Retry-After", "60")
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(BUSY_PAGE.format(why=why))

    @web.authenticated
    def head(self, path=None):
        """A link checker's HEAD: the page is there, and no kernel is started for it."""
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish()


# What Voila sends while a page waits for its kernel (voila/handler.py, time_out())
HEARTBEAT = "<script>window.voila_heartbeat()</script>\n"


def _js(value: str) -> str:
    """A string as a JavaScript literal, safe inside a <script> element."""
    return _js_safe(json.dumps(value))


def _js_safe(literal: str) -> str:
    return literal.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _kernel_start_failed(exc: BaseException) -> bool:
    """A kernel that did not answer in time or died starting (jupyter_client's words)."""
    said = str(exc)
    return isinstance(exc, TimeoutError) or "Kernel didn't respond" in said or \
        "Kernel died before replying" in said


class ReportFileHandler(OneLineErrors, JupyterHandler, AllowListFileHandler):
    """The files the page offers for download (``voila/files/…``, allow-listed), for the
    same users as the page: Voila serves them to anyone who knows the URL, token or not."""

    @web.authenticated
    def head(self, path):
        return super().head(path)

    @web.authenticated
    def get(self, path, include_body=True):
        return super().get(path, include_body)


class AppServer(Voila):
    """Voila with a kernel cap, culling, quiet logs and a clean stop."""

    name = "coprod-eval-app"
    max_kernels = Integer(0, config=True,
                          help="most kernels at once, the preheated one included (0: sized to "
                               "this machine's memory)")
    stall_seconds = Integer(600, config=True,
                            help="a page that gets nothing, or nothing but Voila's heartbeat, "
                                 "for this long becomes the busy page (its kernel failed or "
                                 "hangs)")

    def initialize(self, argv=None):
        self.admitting = 0  # requests let in whose kernel is not known yet
        self.viewer_kernels: set[str] = set()
        super().initialize(argv)
        if self.max_kernels <= 0:
            self.max_kernels = default_cap()
        configuration = self.voila_configuration
        pool = configuration.default_pool_size if configuration.preheat_kernel else 0
        self.max_kernels = max(self.max_kernels, pool + 1)
        self.max_viewers = self.max_kernels - pool
        self.page_title = notebook_title(self.notebook_path)

    def viewers_now(self) -> int:
        manager = self.kernel_manager
        self.viewer_kernels = {k for k in self.viewer_kernels if k in manager}
        return len(self.viewer_kernels) + self.admitting

    def init_settings(self):
        settings = super().init_settings()
        settings["coprod_app"] = self
        self._note_pooled_kernels_given()
        return settings

    def _note_pooled_kernels_given(self):
        """A page given a preheated kernel: note which (Voila's pool hands it out)."""
        manager = self.kernel_manager
        if not hasattr(manager, "get_rendered_notebook"):
            return
        hand_out = manager.get_rendered_notebook

        async def get_rendered_notebook(*args, **kwargs):
            task, cache, kernel_id = await hand_out(*args, **kwargs)
            manager.pooled.discard(kernel_id)  # a viewer's now: culled when unused
            given = _GIVEN.get()
            if given is not None:
                given.append(kernel_id)
            return task, cache, kernel_id

        manager.get_rendered_notebook = get_rendered_notebook

    def init_handlers(self):
        handlers = []
        for handler in super().init_handlers():
            if len(handler) > 1 and handler[1] is TornadoVoilaHandler:
                handler = (handler[0], CappedVoilaHandler, *handler[2:])
            elif len(handler) > 1 and handler[1] is AllowListFileHandler:
                handler = (handler[0], ReportFileHandler, *handler[2:])
            handlers.append(handler)
        return handlers

    def start(self):
        for sig in (signal.SIGINT, signal.SIGTERM):  # also when started in the background
            signal.signal(sig, self._stop_on_signal)
        super().start()

    def _stop_on_signal(self, sig, frame):
        self.ioloop.add_callback_from_signal(self.ioloop.stop)

    def stop(self):
        try:
            super().stop()
        except Exception as exc:
            self.log.info("Stopped (%s)", exc)


def main(argv: list[str] | None = None) -> None:
    AppServer.launch_instance(argv=argv if argv is not None else sys.argv[1:])


__all__ = ["AppServer", "CullingKernelManager", "default_cap", "main"]

if __name__ == "__main__":
    main()
