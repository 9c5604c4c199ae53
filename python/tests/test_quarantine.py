from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ADMIN, Server
from support import frame

import splitvault

# Until freezes store row identities the server can't check a move and says LEAK_UNCHECKED;
# after, two random splits of one frame leak and it says TEST_LEAK. Both refuse the move.
REFUSED = {"ALIAS.LEAK_UNCHECKED", "ALIAS.TEST_LEAK"}


@pytest.fixture
def client(server: Server, cache_dir: Path) -> splitvault.Client:
    return splitvault.Client(server.url, token=ADMIN, cache_dir=cache_dir)


def test_a_quarantined_alias_refuses_a_move_unless_it_allows_the_leak_and_can_be_lifted(
    client: splitvault.Client,
) -> None:
    data = frame(50, seed=40)
    first = client.freeze(data, strategy="random", seed=1)
    second = client.freeze(data, strategy="random", seed=2)
    created = client.set_alias("py-quarantined", first.id, reason="release", quarantine=True)
    assert created["quarantine"] is True
    with pytest.raises(splitvault.ApiError) as refused:
        client.set_alias("py-quarantined", second.id, reason="reshuffle")
    assert refused.value.code in REFUSED
    moved = client.set_alias("py-quarantined", second.id, reason="accepted", allow_test_leak=True)
    assert moved["manifestId"] == second.id
    with pytest.raises(splitvault.ApiError) as back:
        client.rollback("py-quarantined", reason="regression")
    assert back.value.code in REFUSED
    client.rollback("py-quarantined", reason="regression", allow_test_leak=True)
    lifted = client.set_quarantine("py-quarantined", False, reason="model retired")
    assert "quarantine" not in lifted
    entry = client.audit(target="alias:py-quarantined", action="alias.policy")[0]
    assert entry["reason"] == "model retired"
