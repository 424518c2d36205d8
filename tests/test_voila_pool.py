"""A page view that comes while its notebook's pooled kernel is still starting waits for it.

Voila hands a page a pooled kernel only once it has started (its notebook is recorded then); a
viewer who came sooner, the first one just after the server came up, was given a kernel of their
own, started cold, while the warm one went on waiting (tests/ui/test_preheat.py met it as a
flaky first page). The browser tests cover the served page; this checks the wait itself."""

from __future__ import annotations

import asyncio

from caseaudit.voila_app import WorkbookKernelManager


def _manager(pool: list[asyncio.Future]) -> WorkbookKernelManager:
    manager = WorkbookKernelManager()
    manager._pools = {"page.ipynb": pool}  # type: ignore[attr-defined]
    manager.notebook_data = {}  # type: ignore[attr-defined]
    return manager


def test_a_page_waits_for_the_pooled_kernel_still_starting() -> None:
    async def scenario() -> list[str]:
        order: list[str] = []
        starting = asyncio.get_running_loop().create_future()
        manager = _manager([starting])

        async def kernel_starts() -> None:
            await asyncio.sleep(0.2)
            order.append("pooled kernel started")
            starting.set_result({"kernel_id": "warm"})

        asyncio.get_running_loop().create_task(kernel_starts())
        await manager.pool_started("page.ipynb")
        order.append("page served")
        return order

    assert asyncio.run(scenario()) == ["pooled kernel started", "page served"]


def test_a_page_does_not_wait_for_a_pool_that_is_ready_or_empty_or_too_slow() -> None:
    async def scenario() -> tuple[bool, bool, bool]:
        ready = asyncio.get_running_loop().create_future()
        ready.set_result({"kernel_id": "warm"})
        await _manager([ready]).pool_started("page.ipynb", seconds=5)
        await _manager([]).pool_started("page.ipynb", seconds=5)
        never = asyncio.get_running_loop().create_future()
        await _manager([never]).pool_started("page.ipynb", seconds=0.1)  # gives up, serves cold
        return ready.done(), never.done(), True

    assert asyncio.run(asyncio.wait_for(scenario(), timeout=10)) == (True, False, True)
