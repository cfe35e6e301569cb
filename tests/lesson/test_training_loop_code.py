"""The training loop's code shown phase by phase is the engine's: each loss line and each update line is in the
source of the engine function that runs it (so the panel cannot drift from engine/losses.py, engine/optim.py)."""
import inspect

import pytest

from engine import lesson, losses, optim
from playground.lesson.training_step import LOSS_LINES, UPDATE_LINES, loop_lines


def code(line):
    return line.split("#")[0].strip()


@pytest.mark.parametrize("name", sorted(losses.LOSSES))
def test_each_loss_line_is_the_engines_per_sample_loss(name):
    assert f"return {LOSS_LINES[name]}" in inspect.getsource(losses.LOSSES[name])


@pytest.mark.parametrize("name", sorted(optim.OPTIMIZERS))
def test_each_update_is_the_engines_update_method(name):
    source = inspect.getsource(optim.OPTIMIZERS[name].update)
    body = [code(line) for line in UPDATE_LINES[name][1:]]
    assert body and all(line in source for line in body)
    # every line of the engine's update that does arithmetic is shown
    shown = set(body)
    for line in source.splitlines():
        if "=" in line and not line.strip().startswith(("def", "t =", '"""')):
            assert code(line) in shown, line


@pytest.mark.parametrize("loss", sorted(losses.LOSSES))
@pytest.mark.parametrize("optimizer", sorted(optim.OPTIMIZERS))
def test_every_phase_marks_at_least_one_line(loss, optimizer):
    lines = loop_lines(loss, optimizer, alpha=True)
    assert {phase for phase, _ in lines} - {None} == set(lesson.PHASES)
    assert not any("alpha" in line for _, line in loop_lines(loss, optimizer, alpha=False))
