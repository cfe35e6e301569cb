"""The training view's "Step by phase": its run's next step, one phase of micrograd's loop at a time.

The panel is the Lesson's (playground/lesson/training_step.py); here it runs on the view's own run: the same
batch, learning rate, loss, L2 and optimiser as Step, on the Value path (controller.begin_phased_step). Once a
step's update has run it counts as a step of the run. It is built when first opened (not at the page's start).
"""
import panel as pn

from .state import LIVE_SETTINGS

from playground.lesson.training_step import TrainingStepPanel, boundary_svg


class RunNetwork:
    """The view's run as the panel's network (the interface is in training_step.py's docstring)."""

    def __init__(self, view):
        self.view = view           # its run is a new object after every Reset

    @property
    def run(self):
        return self.view.run

    @property
    def loss(self):
        return self.run.model.loss if self.run.has_model else "svm"

    @property
    def optimizer(self):
        return self.run.settings.optimizer

    @property
    def alpha(self):
        return self.run.settings.l2

    @property
    def steps_done(self):
        return self.run.step_count

    def parameters(self):
        return self.run.model.params if self.run.has_model else []

    def begin_step(self):
        return self.run.begin_phased_step()

    def finish_step(self, step, failed=False):
        self.run.finish_phased_step(step, failed)

    def reset(self):
        self.view.reset()

    def boundary(self, title):
        run = self.run
        if not run.has_model:
            return ""
        train = run.is_train
        return boundary_svg(run.scores, run.extent, run.points[train], run.labels[train], title)


class PhaseSteps:
    """A toggle for the view's bar, and the place under the view where the panel opens."""

    def __init__(self, view):
        self.view = view
        self.panel = None
        self._stale = False   # the run moved on while the panel was closed
        self.toggle = pn.widgets.Toggle(label="Step by phase ▾", width=120, css_classes=["train-phases-toggle"])
        self.area = pn.Column(visible=False, sizing_mode="stretch_width", margin=0, css_classes=["train-phases"])
        self.toggle.param.watch(self._toggled, "value")
        # The settings that change the next step without a new run (the others reset the run, then redraw it).
        view.settings.param.watch(lambda *_: self.run_changed(view.playing), LIVE_SETTINGS)

    def _toggled(self, event):
        if event.new and self.panel is None:
            self.panel = TrainingStepPanel(RunNetwork(self.view), prefix="train-phase", finished=self.view.phased_step_done)
            self.panel.set_enabled(not self.view.playing)
            self.area.objects = [pn.pane.HTML("<b>One training step, phase by phase</b> (the run's next step, "
                                              "on the engine's Value path)", margin=(6, 10, 0, 10)), self.panel]
        elif event.new and self._stale:   # reopened after the run moved on: its next step, not the old one
            self.panel.refresh()
        self._stale = False
        self.area.visible = event.new

    def run_changed(self, playing):
        """The run moved on without the panel (Play, Step, Reset, an edit): show its next step (closed: once it
        is opened again; a step half run is kept while nothing else moved the run)."""
        if self.panel is not None:
            self.panel.set_enabled(not playing)
            if not self.toggle.value:
                self._stale = True
            elif not playing:
                self.panel.refresh()
