"""Voila as the workbook serves it: ``python -m caseaudit.voila_app TARGET [--port=P] [options]``.

`caseaudit.serve` (``make demo``, ``make auditor``, ``make moderation``) and the browser tests start
the server through this launcher rather than the ``voila`` command, because four things the
workbook needs cannot be had from Voila's command line alone:

- The token never appears on a command line, where every local user can read it (``ps``,
  ``/proc/<pid>/cmdline``): it comes from the environment variable ``VOILA_TOKEN`` (a fresh random
  one otherwise), is removed from the environment before any kernel starts, and an option naming a
  token is refused.
- Voila 0.5 writes the ``theme`` and ``template`` query parameters into the page unescaped, so a
  link carrying ``theme=x" onload="…`` runs script in the browser of whoever opens it. The server
  keeps its one theme and template, and a request naming any other is refused (400, plain text)
  before anything is rendered or any kernel started.
- Every page view starts a kernel of about 300 MB. Kernels of closed pages are culled after a short
  idle time, a page that is open keeps its kernel however long it is read, and the server holds at
  most ``CASEAUDIT_MAX_KERNELS`` (default 8): at the cap the longest-idle kernel that no page is
  connected to gives way, and when every kernel is in use the new page is told, in one sentence,
  to try again in a minute.
- Every response carries the security headers of `caseaudit.page_headers`; started by JupyterHub,
  the server signs people in through the hub instead of a token (`caseaudit.hub_server`).
- The address to open, token included, is printed once the server answers, and is the last thing
  printed: Voila's own banner (which shows ``...`` for a token it did not generate) is quietened.
- Pages answer at once: each notebook keeps a preheated kernel (Voila's pool, one per notebook
  unless ``--pool_size`` says otherwise) that has started, imported and run the notebook before
  anyone asks, so a page view costs only what runs after the notebook's ``wait_for_request()``.
  Voila's pool alone does not fit the workbook: pooled kernels count towards the cap (they are
  real kernels of about 300 MB) and neither culling nor making room shuts one down, a pool that
  found no room refills when a kernel goes, the wait for a viewer is not timed as a cell
  (otherwise a pooled page showed "Cell execution timed out" after two idle minutes), and a
  kernel may ask for its request more than once (the scoring form does; the second ask waited
  for ever).
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import sys
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlencode

import zmq
from jupyter_core.utils import ensure_async
from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager, ServerKernelManager
from tornado import web
from tornado.httpclient import AsyncHTTPClient, HTTPClientError
from tornado.httputil import HTTPServerRequest
from tornado.ioloop import IOLoop
from traitlets import Bool, Float, Integer, TraitError, Unicode, default, validate
from voila.app import Voila
from voila.execute import VoilaExecutor
from voila.request_info_handler import RequestInfoSocketHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler
from voila.utils import ENV_VARIABLE

from .errors import WorkbookError
from .page_headers import SecurityHeaders
from .serve import PAGE_TEMPLATE_ROOT, page_url
from .settings import MAX_KERNELS_ENV, TOKEN_ENV, whole_number_from_environment

#: Kernels a server keeps at once unless ``CASEAUDIT_MAX_KERNELS`` says otherwise: eight pages of
#: about 300 MB fit a small shared server with room to spare.
DEFAULT_MAX_KERNELS = 8
#: Query parameters Voila writes into the page unescaped; a request may name only the server's own.
FIXED_PAGE_SETTINGS = ("theme", "template")

BUSY_MESSAGE = ("The workbook's server is busy with other people's pages just now. "
                "Please try again in a minute.\n")

#: True in the asyncio task that runs a pooled kernel's notebook ahead of any request. Context
#: variables follow the task (and the tasks it starts), so the executor's time limit can tell that
#: work from the cells a page view runs, whichever kernel it is.
_RENDERING_AHEAD: ContextVar[bool] = ContextVar("caseaudit_rendering_ahead", default=False)


def _for_the_pool(env: Mapping[str, str] | None) -> bool:
    """Whether a kernel is being started for a pool: Voila marks a pooled kernel's environment."""
    return (env or {}).get(ENV_VARIABLE.VOILA_PREHEAT) == "True"


class CellTimeLimit:
    """The executor's time limit for a cell (``VoilaExecutor.timeout_func``): ``seconds`` for a cell
    run while a person waits for the page, none while a pooled kernel runs its notebook ahead.

    A preheated notebook waits for its viewer inside a cell (``wait_for_request``, or the scoring
    form reading its address), for as long as the kernel sits in the pool; timed like any cell, it
    failed after two minutes and the next viewer got a page saying the cell had timed out. The
    cells that run once a request has taken the kernel are timed again.
    """

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds

    def __call__(self, cell: Any) -> float | None:
        return None if _RENDERING_AHEAD.get() else self.seconds


def max_kernels_from_environment() -> int:
    """``CASEAUDIT_MAX_KERNELS`` as a whole number of at least 1, else the default; a value that is
    not one stops the server with a sentence saying so rather than serving without a cap."""
    try:
        return whole_number_from_environment(MAX_KERNELS_ENV, DEFAULT_MAX_KERNELS,
                                             "how many pages the server may run at once")
    except WorkbookError as exc:
        raise TraitError(str(exc)) from None


class ServerBusy(web.HTTPError):
    """Every kernel the server may hold is in use by an open or running page."""

    def __init__(self) -> None:
        super().__init__(503, reason="Server busy")


class EncryptedKernelManager(ServerKernelManager):
    """One kernel, talking to the server over CurveZMQ when the kernel and libzmq support it.

    Kernels listen on local TCP ports; without encryption any local user could subscribe to a
    kernel's output (case notes in the scoring form), and ipykernel prints a warning for every
    page view, after the address the person is told to open.
    """

    @default("transport_encryption")
    def _default_transport_encryption(self) -> str:
        return "auto" if zmq.has("curve") else "disabled"


class WorkbookKernelManager(AsyncMappingKernelManager):
    """The kernels of one server: culled soon after their page closes, and capped in number.

    A kernel is culled when it has been idle (no output, not executing) for ``cull_idle_timeout``
    seconds AND no page is connected to it (``cull_connected`` stays False): an open page keeps a
    websocket to its kernel, so a board member reading the overview for an hour keeps it, while a
    tab that was closed (or never connected, or whose browser died) loses it within two minutes.
    Voila's page also asks for its kernel's shutdown when it is closed; culling catches the rest.

    With preheating, Voila wraps this class (``voila_kernel_manager_factory``) and keeps its pools
    in ``_pools`` (per notebook, a list of tasks that each start a kernel and run the notebook). A
    pooled kernel counts towards ``max_kernels`` like any other: the cap is there for the memory, and
    a pooled kernel holds as much as a page's. It waits for a viewer rather than idles, so culling
    (Voila's own rule) and making room (ours) never shut it down; when a page takes it, its
    replacement starts only if there is room, and otherwise as soon as a kernel goes.
    """

    max_kernels = Integer(
        config=True,
        help=f"How many kernels (one per open page) the server keeps at once; from "
             f"{MAX_KERNELS_ENV}, default {DEFAULT_MAX_KERNELS}.")
    min_idle_to_evict = Float(
        20.0, config=True,
        help="How long (seconds) a kernel no page is connected to must have been idle before it may "
             "be shut down to make room. A page that has just rendered takes a few seconds to "
             "connect to its kernel; this keeps such a page's kernel.")

    @default("max_kernels")
    def _default_max_kernels(self) -> int:
        return max_kernels_from_environment()

    @validate("max_kernels")
    def _validate_max_kernels(self, proposal: Any) -> int:
        if proposal["value"] < 1:
            raise TraitError("max_kernels must be at least 1")
        return proposal["value"]

    @default("cull_idle_timeout")
    def _default_cull_idle_timeout(self) -> int:
        return 90

    @default("cull_interval")
    def _default_cull_interval(self) -> int:
        return 20

    @default("kernel_manager_class")
    def _default_kernel_manager_class(self) -> str:
        if "transport_encryption" in ServerKernelManager.class_trait_names():
            return f"{__name__}.EncryptedKernelManager"
        return super()._default_kernel_manager_class()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._leaving: set[str] = set()
        self._stopping = False

    async def _async_start_kernel(self, *, kernel_id: str | None = None, path: Any = None,  # type: ignore[override]
                                  **kwargs: Any) -> str:
        ahead = _for_the_pool(kwargs.get("env"))
        if ahead:
            # this task goes on to run the notebook ahead of its request (see CellTimeLimit)
            _RENDERING_AHEAD.set(True)
            # Voila hands a refill the address of the page view that emptied the pool (token and
            # query string included); the kernel will serve someone else
            kwargs["env"].pop(ENV_VARIABLE.VOILA_REQUEST_URL, None)
        try:
            if kernel_id is None or kernel_id not in self:
                await self._make_room(for_the_pool=ahead)
            return await super()._async_start_kernel(kernel_id=kernel_id, path=path, **kwargs)
        except BaseException:
            pool_start = asyncio.current_task() if ahead else None
            if pool_start is not None:
                # Voila's shutdown_kernel looks through the pools and raises a failed start's error,
                # so the kernel of a page closed meanwhile stayed: out of its pool as it ends
                pool_start.add_done_callback(lambda _: self.drop_failed_pool_starts())
            raise

    start_kernel = _async_start_kernel  # type: ignore[assignment]

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        """Shut a kernel down, forget the request it served, and refill any pool that was waiting
        for the room it leaves."""
        try:
            await ensure_async(super().shutdown_kernel(kernel_id, *args, **kwargs))
        finally:
            WorkbookRequestInfoHandler.forget(kernel_id)
            self.top_up_pools()

    async def shutdown_all(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self._stopping = True
        await ensure_async(super().shutdown_all(*args, **kwargs))

    def _pools_by_notebook(self) -> dict[str, list[asyncio.Task]]:
        """Voila's pools (empty without preheating): per notebook, the tasks that each start a
        kernel and run the notebook in it, oldest first."""
        return getattr(self, "_pools", {})

    def pooled(self) -> set[str]:
        """The kernels waiting in a pool for a page view."""
        return {task.result()["kernel_id"] for pool in self._pools_by_notebook().values()
                for task in pool if task.done() and not task.cancelled() and task.exception() is None}

    async def pool_started(self, notebook: str | None, seconds: float = 60) -> None:
        """Wait for the notebook's pooled kernel if it is still starting. Voila hands a page a
        pooled kernel only once the kernel has started; a viewer who came sooner (the first, just
        after the server came up) was given a kernel of their own, started cold, and the warm one
        went on waiting for someone else."""
        pool = self._pools_by_notebook().get(notebook or "", [])
        if pool and not pool[0].done() and not getattr(self, "notebook_data", {}).get(notebook):
            await asyncio.wait([pool[0]], timeout=seconds)

    def handed_out(self, kernel_ids: set[str]) -> None:
        """Kernels a page has just taken from a pool: idle since they ran the notebook, perhaps for
        longer than culling allows, they count as active from now, or the culler would take one
        before its page had connected (the page then waited a minute and showed nothing)."""
        for kernel_id in kernel_ids:
            if kernel_id in self._kernels:
                self._kernels[kernel_id].last_activity = utcnow()

    def drop_failed_pool_starts(self) -> None:
        """Take out of the pools the starts that failed (no room under the cap, or a kernel that
        would not start): Voila would hand the next viewer the failure instead of a page."""
        for pool in self._pools_by_notebook().values():
            pool[:] = [task for task in pool
                       if not (task.done() and (task.cancelled() or task.exception() is not None))]

    def top_up_pools(self) -> None:
        """Start kernels for pools short of their size (each waits Voila's ``fill_delay``)."""
        if self._stopping or not hasattr(self, "fill_if_needed"):
            return
        self.drop_failed_pool_starts()
        for notebook in list(self._pools_by_notebook()):
            self.fill_if_needed(notebook_name=notebook)

    def _held(self) -> set[str]:
        """Kernels running or starting, less those already being shut down to make room."""
        return (set(self._kernels) | set(self._pending_kernels)) - self._leaving

    def _longest_idle_unwatched(self) -> str | None:
        """The kernel that has been idle longest with no page connected, if any may go."""
        now, candidates = utcnow(), []
        for kernel_id, kernel in list(self._kernels.items()):
            if (kernel_id in self._leaving or self._kernel_connections.get(kernel_id, 0) > 0
                    or not self.may_make_room_with(kernel_id)):
                continue
            if getattr(kernel, "execution_state", None) not in ("idle", "dead"):
                continue
            last = getattr(kernel, "last_activity", None)
            if last is None or (now - last).total_seconds() < self.min_idle_to_evict:
                continue
            candidates.append((last, kernel_id))
        return min(candidates)[1] if candidates else None

    def may_make_room_with(self, kernel_id: str) -> bool:
        """Whether an idle kernel no page is connected to may be shut down to make room: not one
        waiting in a pool, which is idle because it is ready for the next viewer."""
        return kernel_id not in self.pooled()

    async def _make_room(self, for_the_pool: bool = False) -> None:
        """Shut down idle kernels no page uses until a new one fits under the cap, or refuse."""
        while len(self._held()) >= self.max_kernels:
            victim = self._longest_idle_unwatched()
            if victim is None and for_the_pool:
                self.log.info("At the cap of %d kernels, every one in use: the preheated pool "
                              "refills when a kernel goes", self.max_kernels)
                raise ServerBusy()
            if victim is None:
                self.log.warning(
                    "Refused a page: %d kernels held (the cap, %s) and every one is in use. Raise %s if "
                    "the machine has memory to spare (about 300 MB a page).",
                    len(self._held()), self.max_kernels, MAX_KERNELS_ENV)
                raise ServerBusy()
            self.log.info("At the cap of %d kernels: shutting down idle kernel %s, which no page uses",
                          self.max_kernels, victim)
            self._leaving.add(victim)
            try:
                await self.shutdown_kernel(victim)
            finally:
                self._leaving.discard(victim)


class _FixedPageSettings:
    """Refuse, before anything else runs, a request that names a theme or template other than the
    server's own: Voila would write the value into the page unescaped."""

    voila_configuration: Any

    async def prepare(self, *args: Any, **kwargs: Any) -> None:
        configured = {"theme": self.voila_configuration.theme,
                      "template": self.voila_configuration.template}
        for name in FIXED_PAGE_SETTINGS:
            if any(value != configured[name] for value in self.get_arguments(name)):  # type: ignore[attr-defined]
                _plain_reply(self, 400,  # type: ignore[arg-type]
                             f"This address asks for a page {name} the workbook does not offer. Open "
                             f"the address you were given, without \"{name}=...\".\n")
                return
        await super().prepare(*args, **kwargs)  # type: ignore[misc]


def _plain_reply(handler: web.RequestHandler, status: int, message: str) -> None:
    handler.clear()
    handler.set_status(status)
    handler.set_header("Content-Type", "text/plain; charset=utf-8")
    handler.set_header("X-Content-Type-Options", "nosniff")
    if status == 503:
        handler.set_header("Retry-After", "60")
    handler.finish(message)


class WorkbookPageHandler(_FixedPageSettings, TornadoVoilaHandler):
    """A notebook page (a dashboard, or an app at ``/``): from the notebook's pool when it holds a
    kernel, else from a kernel started for it (refused, in a sentence, at the cap)."""

    async def get(self, path: str | None = None) -> None:
        # The page's script sends this cookie back when, on closing, it asks for its kernel's
        # shutdown; Voila never set it, so the request was refused (403) and the kernel of every
        # closed page waited to be culled.
        self.xsrf_token  # noqa: B018 (reading it sets the cookie)
        _forget_the_token(self.request)
        manager = self.kernel_manager
        manager.drop_failed_pool_starts()
        await manager.pool_started(self.notebook_path or path)  # type: ignore[attr-defined]
        waiting = manager.pooled()
        try:
            await super().get(path)
        except ServerBusy:
            if self._headers_written:
                raise
            _plain_reply(self, 503, BUSY_MESSAGE)
        finally:
            manager.handed_out(waiting - manager.pooled())


def _forget_the_token(request: HTTPServerRequest) -> None:
    """Take the token out of the address Voila hands the page's kernel (``QUERY_STRING``, the
    request's URL), once it has let the request in. A preheated kernel receives its request over
    a websocket that asks for no token, from a server that knows the kernel by an id every local
    user can read in ``ps``: the token must not travel with it. The kernel never needs it."""
    kept = [(name, value) for name, value in parse_qsl(request.query, keep_blank_values=True)
            if name != "token"]
    request.query = urlencode(kept)
    request.uri = request.path + (f"?{request.query}" if kept else "")


class WorkbookTreeHandler(_FixedPageSettings, TornadoVoilaTreeHandler):
    """The list of dashboards."""


class WorkbookRequestInfoHandler(RequestInfoSocketHandler):
    """Where a preheated kernel, waiting in ``voila.utils.wait_for_request``, receives the request
    of the page view that took it (its query string, say).

    Voila sends the request once, to the connection waiting at that moment, and keeps it only if
    none was: a kernel that asks again (the scoring form reads its address when choosing the round
    and again when choosing the auditor) waited for ever, and its page never finished. Here every
    connection for a kernel receives the request it has served, until the kernel shuts down.
    """

    _delivered: ClassVar[dict[str, Any]] = {}

    def open(self, kernel_id: str) -> None:  # type: ignore[override]
        self.kernel_id = kernel_id
        self._waiters[kernel_id] = self
        request = self._cache.get(kernel_id, self._delivered.get(kernel_id))
        if request is not None:
            self.write_message(request)

    def write_message(self, message: Any, binary: bool = False) -> Any:
        self._delivered[self.kernel_id] = message
        return super().write_message(message, binary=binary)

    def on_close(self) -> None:
        if self._waiters.get(getattr(self, "kernel_id", None)) is self:
            del self._waiters[self.kernel_id]

    @classmethod
    def forget(cls, kernel_id: str) -> None:
        """Drop what is kept for a kernel that has gone (Voila kept it for ever)."""
        for kept in (cls._cache, cls._delivered):
            kept.pop(kernel_id, None)


def _not_noise(record: logging.LogRecord) -> bool:
    return not (record.msg == "Notebook %s is not trusted"
                or "websocket_ping_timeout" in str(record.msg))


_SAFE_HANDLERS: dict[type, type] = {TornadoVoilaHandler: WorkbookPageHandler,
                                    TornadoVoilaTreeHandler: WorkbookTreeHandler,
                                    RequestInfoSocketHandler: WorkbookRequestInfoHandler}


class WorkbookVoila(Voila):
    """Voila with the workbook's token handling, page checks, kernel limits and announcement."""

    aliases: ClassVar[dict] = {**Voila.aliases,
                               "page": "WorkbookVoila.page",
                               "announce": "WorkbookVoila.announce"}

    ip = Unicode("127.0.0.1", config=True, help="The address the server listens on.")
    open_browser = Bool(False, config=True, help="Open a browser on start (never on a server).")
    page = Unicode("", config=True,
                   help="The page to announce, relative to the server's root "
                        "(e.g. voila/render/partnership_overview.ipynb); empty for an app.")
    announce = Unicode("The workbook is", config=True,
                       help="How the announcement begins, e.g. 'The dashboards are'.")

    @default("log_level")
    def _default_log_level(self) -> int:
        return logging.WARNING

    def initialize(self, argv: Sequence[str] | None = None) -> None:
        token = os.environ.pop(TOKEN_ENV, "") or secrets.token_urlsafe(24)
        # the workbook's page template is found where Voila looks for templates
        os.environ["JUPYTER_PATH"] = os.pathsep.join(
            p for p in (str(PAGE_TEMPLATE_ROOT), os.environ.get("JUPYTER_PATH", "")) if p)
        super().initialize(argv)
        self.token = token
        self.hub = None
        if os.environ.get("JUPYTERHUB_SERVICE_URL"):  # started by JupyterHub: see caseaudit.hub_server
            from .hub_server import serve_behind_hub

            self.hub = serve_behind_hub(self)
        configuration = self.voila_configuration
        configuration.allow_theme_override = "NO"
        configuration.allow_template_override = "NO"
        configuration.multi_kernel_manager_class = WorkbookKernelManager
        # The list of dashboards is written by the server: the JupyterLab-built list draws itself
        # in the browser after loading several megabytes of script, and on a busy machine it was
        # still blank two minutes later.
        configuration.classic_tree = True
        if "preheat_kernel" not in self.config.VoilaConfiguration:  # on unless the command line says
            configuration.preheat_kernel = True
        executor = self.config.VoilaExecutor
        if "timeout_func" not in executor:
            seconds = executor.get("timeout")
            if isinstance(seconds, str):  # from the command line, not yet parsed
                seconds = VoilaExecutor.class_traits()["timeout"].from_string(seconds)
            executor.timeout_func = CellTimeLimit(seconds)
        # Two warnings that say nothing to whoever runs the server would follow the address on
        # screen: tornado's, once, that jupyter_server's websocket ping timeout exceeds the interval
        # (it uses the interval), and "Notebook ... is not trusted" on every page view (Voila runs
        # the notebook afresh and never shows stored outputs, so trust does not apply).
        logging.getLogger("tornado.general").addFilter(_not_noise)
        self.log.addFilter(_not_noise)

    def init_settings(self) -> dict[str, Any]:
        settings = super().init_settings()
        if self.hub is not None:
            self.hub.hand_token_to(self.identity_provider)
        # every response, whichever handler writes it, leaves with the security headers
        return {**settings, "transforms": [SecurityHeaders]}

    def init_handlers(self) -> list:
        routes = [(route[0], _SAFE_HANDLERS.get(route[1], route[1]), *route[2:])
                  for route in super().init_handlers()]
        return routes if self.hub is None else self.hub.routes(routes, self.identity_provider)

    def start(self) -> None:
        IOLoop.current().add_callback(self._announce_when_answering)
        super().start()

    async def _announce_when_answering(self) -> None:
        """Print the address to open once the server answers a request of its own."""
        client = AsyncHTTPClient()
        for _ in range(100):
            try:
                await client.fetch(f"{self.connection_url}login", raise_error=False,
                                   follow_redirects=False, request_timeout=5)
                break
            except (OSError, HTTPClientError):
                await asyncio.sleep(0.1)
        host = socket.gethostname() if self.ip in ("", "0.0.0.0") else self.ip
        if self.hub is not None:  # the hub signs people in: no token to hand out
            print(f"\n{self.announce} ready behind JupyterHub, at {self.base_url}", flush=True)
            return
        url = page_url(self._url(host), self.page, self.identity_provider.token)
        print(f"\n{self.announce} ready. Open this address in your browser "
              f"(Ctrl+C stops the server):\n    {url}", flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    """Start the server on ``argv`` (Voila's options, less any token)."""
    args = list(sys.argv[1:] if argv is None else argv)
    for arg in args:
        if arg.startswith("-") and "token" in arg.split("=", 1)[0].lower():
            sys.exit(f"caseaudit.voila_app: {arg.split('=', 1)[0]} refused: a token on the command line "
                     f"is visible to every user of this machine. Set {TOKEN_ENV} instead.")
    try:
        max_kernels_from_environment()
    except TraitError as exc:
        sys.exit(f"caseaudit.voila_app: {exc}")
    WorkbookVoila.launch_instance(args)


if __name__ == "__main__":  # pragma: no cover
    main()
