"""The training view's "Step by phase": its run's own next step, phase by phase on the Value path (issue 17,
item 6). The step it runs is the step Step would run (same batch, learning rate, loss, L2, optimiser)."""
import re

import numpy as np
import pytest

from engine import lesson as engine_lesson
from playground.training.controller import TrainingRun
from playground.training.state import TrainingSettings
from playground.training.view import TrainingView


def run_phases(step):
    records = []
    while not step.done:
        records.append(step.run_phase())
    return records


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("loss", ["max_margin", "bce", "mse"])
def test_a_phased_step_is_the_step_of_the_run(optimizer, loss):
    # A batch smaller than the data, L2 and a decaying learning rate: every part of a step is exercised.
    settings = TrainingSettings(n_points=40, hidden_layers=[5, 3], optimizer=optimizer, loss=loss,
                                learning_rate=0.05, decay=0.01, l2=0.001, batch_size=12)
    stepped, phased = TrainingRun(settings), TrainingRun(settings)
    stepped.model.exact = True          # the fast path's in-order sums: micrograd's arithmetic
    stepped.train(max_steps=3)
    phased.train(max_steps=2)
    step = phased.begin_phased_step()
    records = run_phases(step)
    phased.finish_phased_step(step)
    assert [r["phase"] for r in records] == list(engine_lesson.PHASES)
    assert phased.step_count == 3 and phased.last_metrics["step"] == 3
    np.testing.assert_allclose(phased.model.get_weights(), stepped.model.get_weights(), rtol=0, atol=1e-12)
    # and the runs go on together: the batch generator and the optimiser's state were shared
    stepped.train(max_steps=1)
    phased.train(max_steps=1)
    np.testing.assert_allclose(phased.model.get_weights(), stepped.model.get_weights(), rtol=0, atol=1e-12)


def test_an_abandoned_phased_step_changes_nothing():
    settings = TrainingSettings(n_points=40, hidden_layers=[4], batch_size=7)
    run, twin = TrainingRun(settings), TrainingRun(settings)
    step = run.begin_phased_step()
    step.run_phase()
    step.run_phase()                     # forward and loss, then dropped: Step goes on without it
    run.train(max_steps=2)
    twin.train(max_steps=2)
    assert run.step_count == 2
    np.testing.assert_array_equal(run.model.get_weights(), twin.model.get_weights())


def test_a_run_that_cannot_train_gives_no_phased_step():
    run = TrainingRun(TrainingSettings(dataset="custom"))
    assert run.begin_phased_step() is None


def open_panel(**settings):
    view = TrainingView(TrainingSettings(n_points=30, hidden_layers=[4], **settings))
    view._show_new_run()
    view.phases.toggle.clicks = 0
    view.phases.toggle.value = True
    return view, view.phases.panel


def marked(panel):
    return re.findall(r'line now">([^<]*)', panel.code.object)


def test_the_view_steps_phase_by_phase_and_counts_the_step():
    view, panel = open_panel(learning_rate=0.2)
    assert view.phases.area.visible and "Step 1, phase 0 of 5" in panel.caption.object
    assert "before step 1" in panel.before.object and panel.after.object == ""
    start = view.run.model.get_weights().copy()
    for phase in engine_lesson.PHASES:
        panel.next_button.clicks += 1
        assert panel.records[-1]["phase"] == phase
        assert marked(panel), phase
    assert "p.data -= lr * p.grad" in marked(panel)[-1]
    assert view.run.step_count == 1 and "train-step-count'>1<" in view.status.object
    grads = np.array(panel.records[-1]["grad"])
    np.testing.assert_allclose(view.run.model.get_weights(), start - 0.2 * grads, rtol=1e-12)
    assert "after step 1" in panel.after.object and "Step 1, phase 5 of 5" in panel.caption.object
    rows = re.findall(r"<tr class='(now)?'><td>(\w+)</td>", panel.watch_table.object)
    assert [name for _, name in rows] == ["start"] + list(engine_lesson.PHASES)
    panel.whole_button.clicks += 1                        # the next step, all at once
    assert view.run.step_count == 2 and "after step 2" in panel.after.object


def test_the_code_follows_the_runs_loss_and_optimiser():
    view, panel = open_panel(loss="bce", optimizer="adam", l2=0.0)
    code = panel.code.object
    assert "(-y * score).softplus()" in code and "m_hat" in code and "alpha" not in code
    view.settings.l2 = 0.01                               # a live setting: the panel shows the next step again
    assert "alpha * sum(p * p" in panel.code.object


def test_play_and_step_move_the_panel_to_the_runs_next_step():
    view, panel = open_panel()
    panel.next_button.clicks += 1                         # forward of step 1 ...
    view.step_button.clicks += 1                          # ... but Step runs step 1 whole
    assert view.run.step_count == 1 and panel.step is None and "Step 2, phase 0" in panel.caption.object
    view.play()
    assert panel.next_button.disabled and panel.whole_button.disabled
    view.pause()
    assert not panel.next_button.disabled
    view.reset_button.clicks += 1
    assert view.run.step_count == 0 and "Step 1, phase 0" in panel.caption.object


def test_a_diverging_phased_step_is_undone_with_a_message():
    view, panel = open_panel(learning_rate=10.0, loss="mse")
    for _ in range(40):
        if view.run.diverged:
            break
        panel.whole_button.clicks += 1
    assert view.run.diverged and "diverged" in view.message.object
    weights = view.run.model.get_weights()
    assert np.isfinite(weights).all()
    panel.next_button.clicks += 1
    panel.next_button.clicks += 1
    assert "cannot take a step now" in panel.caption.object
    np.testing.assert_array_equal(view.run.model.get_weights(), weights)


def test_a_step_half_run_stays_while_nothing_moves_the_run():
    view, panel = open_panel()
    panel.next_button.clicks += 1                         # forward ...
    view.set_on_screen(False)                             # ... another tab, and back
    view.set_on_screen(True)
    view.phases.toggle.value = False                      # ... the panel closed, and opened again
    view.phases.toggle.value = True
    assert [r["phase"] for r in panel.records] == ["forward"]
    panel.next_button.clicks += 1
    assert panel.records[-1]["phase"] == "loss"
    view.phases.toggle.value = False
    view.step_button.clicks += 1                          # the run moves on while the panel is closed
    view.phases.toggle.value = True
    assert panel.records == [] and "Step 2, phase 0" in panel.caption.object
