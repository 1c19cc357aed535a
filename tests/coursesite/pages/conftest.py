"""The pages' tests run in the shared world (tests/world.py) with the server's clock stopped at its NOW."""
import pytest

from tests.world import NOW


@pytest.fixture(autouse=True)
def frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine
