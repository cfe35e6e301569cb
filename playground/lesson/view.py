"""LessonView: the lesson's tools on the graph view's current graph, one at a time.

    code           the _backward that runs now, as micrograd writes it, with this step's numbers
    topo           build_topo stepped through, the nodes numbered in topological order
    break          the classic bugs side by side with the correct run
    nudge          grad * h against a new forward pass
    training-step  one training step, phase by phase

Each tool is built the first time it is shown (the page starts without them)."""
import panel as pn
import param

from playground.graph import GraphState

MODES = {"The code of backward": "code", "build_topo": "topo", "Break it": "break", "Nudge": "nudge",
         "One training step": "training-step"}


def _make(mode, state):
    if mode == "code":
        from .code_panel import CodePanel
        return CodePanel(state=state)
    if mode == "topo":
        from .topo_panel import TopoPanel
        return TopoPanel(state=state)
    if mode == "break":
        from .break_panel import BreakPanel
        return BreakPanel(state=state)
    if mode == "nudge":
        from .nudge_panel import NudgePanel
        return NudgePanel(state=state)
    from .training_step import TrainingStepPanel
    return TrainingStepPanel()


class LessonView(pn.viewable.Viewer):
    state = param.ClassSelector(class_=GraphState)
    mode = param.Selector(default="code", objects=list(MODES.values()))

    def __init__(self, **params):
        super().__init__(**params)
        self.panels = {}
        # The five tools' buttons wrap on a narrow page (320 px: no sideways scrolling).
        self.switch = pn.widgets.RadioButtonGroup(options=MODES, value=self.mode, color="light",
                                                  css_classes=["lesson-modes"], sizing_mode="stretch_width",
                                                  stylesheets=[".bk-btn-group { flex-wrap: wrap; }"])
        self.switch.link(self, value="mode")
        self.param.watch(self._show, "mode")
        self.body = pn.Column(pn.pane.HTML("Opening the lesson…"), sizing_mode="stretch_width",
                              css_classes=["lesson-body"])
        self.built = False
        self.on_screen = False

    def set_on_screen(self, on_screen):
        """app.py says whether the Lesson tab is shown: only the tool on screen follows the graph."""
        self.on_screen = on_screen
        self._follow()

    def _follow(self):
        for mode, panel in self.panels.items():
            if hasattr(panel, "follower"):
                panel.follower.show(self.on_screen and mode == self.mode)

    def panel_for(self, mode):
        if mode not in self.panels:
            self.panels[mode] = _make(mode, self.state)
        return self.panels[mode]

    def _show(self, *_):
        self.switch.value = self.mode
        if self.built:
            self.body.objects = [self.panel_for(self.mode)]
            self._follow()

    def build(self):
        """Build the shown tool (app.py calls it each time the Lesson tab is shown)."""
        self.on_screen = True
        if not self.built:
            self.built = True
            self._show()
        self._follow()

    def __panel__(self):
        return pn.Column(self.switch, self.body,
                         sizing_mode="stretch_width", css_classes=["lesson-view"])
