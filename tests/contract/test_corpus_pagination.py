"""Auto-pagination on a corpus spec that declares it: Mistral's `x-speakeasy-pagination` (a
cursor in `page_token`, the next one in `next_page_token`, the items in `data`), through the
generated client, against Prism mocking the spec itself.

Prism answers every page with the same generated body, so the cursor it gives is the same on
every page: the client must send no cursor first, then exactly the one the first page gave,
and stop there (a cursor that repeats the one just sent ends the pages), every request one that
Prism accepts. Of the two Mistral operations that declare pagination this is the one whose
required inputs are none.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.support.corpus import generate

from .conftest import NodeTools, PrismServer, Wire, start_prism

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def mistral(
    tmp_path_factory: pytest.TempPathFactory, node_tools: NodeTools, prism_entry: Path
) -> Iterator[tuple[ModuleType, PrismServer]]:
    generated = generate("mistral", tmp_path_factory.mktemp("mistral"))
    if not generated.ok:
        pytest.fail(generated.failure())
    folder = tmp_path_factory.mktemp("prism-mistral-pages")
    with start_prism(node_tools, prism_entry, generated.spec, folder) as server:
        sys.path.insert(0, str(generated.out))
        try:
            yield importlib.import_module(generated.package), server
        finally:
            sys.path.remove(str(generated.out))
            for module in [m for m in sys.modules if m.split(".")[0] == generated.package]:
                del sys.modules[module]


def _page_tokens(wire: Wire) -> list[str | None]:
    return [exchange.request.url.params.get("page_token") for exchange in wire.exchanges]


def test_mistral_agent_pages_send_each_cursor_the_page_before_gave_and_prism_accepts_them(
    mistral: tuple[ModuleType, PrismServer], wire: Wire
) -> None:
    package, server = mistral
    since = server.mark()
    with package.Client(base_url=server.base_url, token="test-token") as client:
        first = client.beta_agents.agents_api_v1_agents_list_pages(page_size=2)
        pages = list(first.iter_pages())
    assert first.next_page_token  # Prism's generated cursor
    assert _page_tokens(wire) == [None, first.next_page_token]
    assert len(pages) == 2 and all(page.data == first.data for page in pages)
    assert [exchange.request.url.params.get("page_size") for exchange in wire.exchanges] == [
        "2",
        "2",
    ]
    server.verdict(since, wire, expected_requests=2).assert_conforms()


def test_mistral_agent_items_iterate_lazily_over_the_pages_prism_gives(
    mistral: tuple[ModuleType, PrismServer], wire: Wire
) -> None:
    package, server = mistral
    since = server.mark()
    with package.Client(base_url=server.base_url, token="test-token") as client:
        items = iter(client.beta_agents.agents_api_v1_agents_list_pages())
        first = next(items)
        assert len(wire.exchanges) == 1
        rest = list(items)
    assert len(rest) == 2 * len(wire.exchanges[0].response.json()["data"]) - 1
    assert first.id == rest[-1].id  # the second page is the same generated body
    server.verdict(since, wire, expected_requests=2).assert_conforms()
