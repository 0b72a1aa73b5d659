"""Warm Jupyter kernels: one per render worker, kept alive across notebooks.

Each worker's kernel imports the modules the notebooks import once (:func:`notebook_imports`), and is
reset between notebooks — user namespace, working folder and matplotlib state — so a batch does not
pay the imports for every report. papermill runs notebooks on it through the engine
``oilimpact-warm`` (:func:`register_engine`, registered on first use, not at import).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from papermill.engines import NBClientEngine, papermill_engines

from oilimpact.report.stages import StageClock

ENGINE_NAME = "oilimpact-warm"

# Lives in its own module object inside the kernel, so resetting the user namespace keeps it.
_WARM_MODULE = """
import importlib, sys, warnings

for name in MODULES:
    try:
        importlib.import_module(name)
    except Exception:
        pass


def snapshot():
    state = {}
    mpl = sys.modules.get("matplotlib")
    if mpl is not None:
        state["rc"] = dict(mpl.rcParams)
    inline = sys.modules.get("matplotlib_inline.backend_inline")
    if inline is not None:
        state["formats"] = sorted(inline.InlineBackend.instance().figure_formats)
    return state


STATE = snapshot()


def restore():
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close("all")
    mpl = sys.modules.get("matplotlib")
    if mpl is not None and "rc" in STATE:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mpl.rcParams.update(STATE["rc"])
    inline = sys.modules.get("matplotlib_inline.backend_inline")
    if inline is not None and "formats" in STATE:
        inline.set_matplotlib_formats(*STATE["formats"])
"""

_WARMUP = """
import sys as _sys, types as _types
_warm = _types.ModuleType("__oilimpact_warm__")
_warm.MODULES = {modules!r}
exec({source!r}, _warm.__dict__)
_sys.modules["__oilimpact_warm__"] = _warm
del _sys, _types, _warm
"""

_RESET = """
get_ipython().reset(new_session=True)
import os as _os, sys as _sys
_os.chdir({cwd!r})
_sys.modules["__oilimpact_warm__"].restore()
del _os, _sys
"""


class WarmKernel:
    """One Jupyter kernel kept alive across notebooks: modules stay imported, state is reset."""

    def __init__(self, kernel_name: str, cwd: Path, preload: Sequence[str]):

        self.cwd = cwd
        self._shell = None  # the client that resets it: shell channel only, kept across notebooks
        # Its connection file (ports and the signing key) in a private folder of ours, removed on
        # shutdown even when the kernel died: a killed kernel must not leave its key in the temp folder.
        self._runtime = Path(tempfile.mkdtemp(prefix="oilimpact-kernel-"))
        self.km = AsyncKernelManager(kernel_name=kernel_name,
                                     connection_file=str(self._runtime / "kernel.json"))
        try:
            # The kernel's stderr would only repeat ipykernel's start-up notices over our progress bar.
            run_sync(self.km.start_kernel)(cwd=str(cwd), stderr=subprocess.DEVNULL)
            self._run(_WARMUP.format(modules=list(preload), source=_WARM_MODULE))
        except BaseException:
            self.shutdown()
            raise

    def _run(self, code: str) -> None:
        client = self.km.blocking_client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            reply = client.execute_interactive(code, silent=True, store_history=False, timeout=300,
                                               output_hook=lambda _msg: None)
        finally:
            client.stop_channels()
        if reply["content"].get("status") != "ok":
            raise RuntimeError(f"kernel set-up failed: {reply['content'].get('evalue', '')}")

    def reset(self) -> None:
        """A clean namespace (execution count back to 1), the notebooks folder as cwd, matplotlib as
        after warm-up. Sent on one shell-only client kept for the kernel's life: a new client per
        notebook (channels, heartbeat, a kernel_info round trip) cost a fifth of a second each."""
        if self._shell is None:
            self._shell = self.km.blocking_client()
            self._shell.start_channels(iopub=False, stdin=False, hb=False, control=False)
        reply = self._shell.execute(_RESET.format(cwd=str(self.cwd)), silent=True, store_history=False,
                                    reply=True, timeout=60)
        if reply["content"].get("status") != "ok":
            raise RuntimeError(f"kernel reset failed: {reply['content'].get('evalue', '')}")

    @property
    def pid(self) -> int | None:
        provisioner = getattr(self.km, "provisioner", None)
        return getattr(provisioner, "pid", None)

    def alive(self) -> bool:
        return bool(run_sync(self.km.is_alive)())

    def interrupt(self) -> None:
        pid = self.pid
        if pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGINT)

    def shutdown(self) -> None:
        try:
            if self._shell is not None:
                with contextlib.suppress(Exception):
                    self._shell.stop_channels()
            with contextlib.suppress(Exception):  # already gone: nothing to stop
                run_sync(self.km.shutdown_kernel)(now=True)
            with contextlib.suppress(Exception):
                run_sync(self.km.cleanup_resources)()
        finally:
            shutil.rmtree(self._runtime, ignore_errors=True)


def register_engine() -> None:
    """papermill engine ``oilimpact-warm``: nbclient on the worker's warm kernel (registered on first
    use, not at import)."""

    if ENGINE_NAME in papermill_engines._engines:
        return

    class WarmKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, warm_kernel: WarmKernel | None = None,
                                     clock: StageClock | None = None, **kwargs):
            clock = clock or StageClock()
            clock.mark("engine")
            try:
                if warm_kernel is None:
                    with clock.stage("execute"):
                        return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
                with clock.stage("kernel", warm_kernel.pid):
                    warm_kernel.reset()
                with clock.stage("execute", warm_kernel.pid):
                    return super().execute_managed_notebook(nb_man, kernel_name, km=warm_kernel.km, **kwargs)
            finally:
                clock.mark("engine")

    papermill_engines.register(ENGINE_NAME, WarmKernelEngine)
