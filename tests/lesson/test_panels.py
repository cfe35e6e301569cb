"""The lesson's Panel components, driven from Python as the page drives them (buttons, params)."""
import re

import pytest

import engine
from engine import lesson as engine_lesson
from playground.graph import GraphState
from playground.graph.presets import README_EXAMPLE, TANH_NEURON, USED_TWICE, mlp_sample_loss
from playground.graph.state import program_from_value
from playground.lesson import picture
from playground.lesson.break_panel import BreakPanel
from playground.lesson.code_panel import CodePanel
from playground.lesson.nudge_panel import NudgePanel
from playground.lesson.topo_panel import TopoPanel
from playground.lesson.training_step import TrainingStepPanel


def badges(svg):
    return [int(n) for n in re.findall(r'class="lesson-topo-number"[^>]*>(\d+)<', svg)]


def test_the_lesson_names_nodes_as_the_graph_view_does_never_by_number():
    """The page's default graph (README_EXAMPLE) has 17 unnamed nodes and two constants 1.0: the lesson's
    pictures and tables named them `#31` and `1.0#3`; now the graph view's names, unique."""
    from playground.graph.drawing import display_names

    nodes = GraphState(program=README_EXAMPLE).graph.trace["nodes"]
    names, shown = picture.node_names(nodes), display_names(nodes)
    assert not [name for name in names.values() if re.search(r"#\d", name)]
    assert len(set(names.values())) == len(nodes)                          # the nudge picks a leaf by name
    assert {shown[n["id"]] for n in nodes} <= {name.rstrip("\u2032") for name in names.values()}
    assert sorted(name for name in names.values() if name.rstrip("\u2032") == "1.0") == ["1.0", "1.0\u2032"]
    unnamed = [names[n["id"]] for n in nodes if n["op"] and not n["label"]]
    assert len(unnamed) >= 10 and "10.0/f" in unnamed and "c+1.0" in unnamed
    # ...and coloured as the graph view colours them: the leaves a and b blue, the program's numbers grey
    from playground.graph.drawing import NODE_FILL

    svg = picture.svg(GraphState(program=README_EXAMPLE).graph)
    fills = dict(re.findall(r'data-node="(\d+)"><rect [^>]*fill="(#\w+)"', svg))
    for n in nodes:
        if not n["op"]:
            assert fills[str(n["id"])] == NODE_FILL["leaf" if n["label"] in ("a", "b") else "constant"], n
    # the code lesson's reversed(topo) table says so too, as the graph view's table does
    order = CodePanel(state=GraphState(program=README_EXAMPLE)).order.object
    assert "<td>Value(10.0)</td><td>constant</td>" in order and "<td>a</td><td>leaf</td>" in order


def test_topo_panel_numbers_every_node_and_keeps_the_numbers():
    state = GraphState(program=TANH_NEURON)
    panel = TopoPanel(state=state)
    n = len(state.graph.trace["nodes"])
    assert badges(panel.picture.object) == []
    panel.controls[2].clicks += 1                     # Next: the first visit, at the output
    assert f"visit o" in panel.caption.object and "Step 1 of" in panel.counter.object
    panel.controls[3].clicks += 1                     # End
    assert sorted(badges(panel.picture.object)) == list(range(n))
    assert "in reverse: " + ", ".join(str(i) for i in reversed(range(n))) in panel.caption.object
    appended = [e["node"] for e in panel.events if e["event"] == "append"]
    assert appended == list(range(n))                 # the numbers are the engine's own topological order
    state.load_program(USED_TWICE)                    # a new graph starts the sort again
    assert panel.step == 0 and len(panel.events) == 5
    panel.step = 4
    assert "already visited" in panel.caption.object


def test_code_panel_steps_one_backward_call_at_a_time():
    state = GraphState(program="a = 2.0\nb = -3.0\nc = 10.0\ne = a * b\nd = e + c\n")
    panel = CodePanel(state=state)
    n = len(state.graph.trace["nodes"])
    assert len(panel.steps) == n + 1                  # the seed, then one call per node of reversed(topo)
    panel.step = 1
    assert "d.grad = 1.0" in panel.loop.object
    panel.step = 2                                    # d = e + c
    assert "v = d (number 4)" in panel.loop.object
    assert "e.grad += 1.0  -&gt;  e.grad = 1.0" in panel.closure.object
    panel.step = 4                                    # e = a * b
    assert "a.grad += -3.0 * 1.0  -&gt;  a.grad = -3.0" in panel.closure.object
    assert "self.grad += other.data * out.grad" in panel.closure.object
    assert "each addition" not in panel.details.object
    panel.expand.value = True
    assert "each addition" in panel.details.object and "0.0 + (-3.0)" in panel.details.object
    assert "<tr class='now'><td>2</td><td>e</td>" in panel.order.object      # e is number 2, marked
    assert sorted(badges(panel.picture.object)) == list(range(n))           # numbers stay on the boxes
    panel.step = len(panel.steps)
    engine.fresh_backward(state.graph.root)
    grads = re.findall(r"grad (-?[\d.]+)<", panel.picture.object)
    assert [float(g) for g in grads] == [round(v.grad, 4) for v in engine.build_topo(state.graph.root)]


def test_break_panel_shows_the_bug_beside_the_correct_run():
    state = GraphState(program=USED_TWICE)
    panel = BreakPanel(state=state)
    assert "WRONG" not in panel.check.object
    panel.choice.value = "overwrite"
    assert panel.bug == "overwrite"
    assert "<tr class='wrong'><td>a</td><td>1.0</td><td>2.0</td><td>2.0</td><td>WRONG</td>" in panel.check.object
    assert "The correct engine (+=)" in panel.pictures.object and "lesson-wrong" in panel.pictures.object
    panel.choice.value = "twice"
    assert "<td>a</td><td>4.0</td><td>2.0</td>" in panel.check.object
    # on a graph with constants, only the program's named leaves outlive a forward pass
    state.load_program(README_EXAMPLE)
    names = picture.node_names(state.graph.trace["nodes"])
    kept = [names[i] for i in panel.kept_leaves()]
    assert sorted(kept) == ["a", "b"]
    root = state.graph.root
    expected = engine_lesson.buggy_grads(root, "twice", kept=panel.kept_leaves())
    assert expected[panel.kept_leaves()[0]] == 2 * engine_lesson.correct_grads(root)[panel.kept_leaves()[0]]


def test_nudge_panel_and_its_bad_input():
    state = GraphState(program=TANH_NEURON)
    panel = NudgePanel(state=state)
    panel.leaf.value = "w1"
    panel.button.clicks += 1
    assert "predicted: grad × h" in panel.result.object and "0.00985925" in panel.result.object
    program = state.program
    panel.h.value = 0
    panel.button.clicks += 1
    assert "role='alert'" in panel.result.object and state.program == program


def test_training_step_panel_runs_the_phases_in_order():
    panel = TrainingStepPanel()
    start = {p.label: p.data for p in panel.network.parameters()}
    phases = []
    for _ in range(5):
        panel.next_button.clicks += 1
        phases.append(panel.records[-1]["phase"])
        assert "class=\"line now\"" in panel.code.object
    assert phases == list(engine_lesson.PHASES)
    assert "p.data -= lr * p.grad" in re.findall(r'line now">([^<]*)', panel.code.object)[-1]
    w = panel.network.parameters()[0]
    grad = panel.records[-1]["grad"][0]
    assert w.data == pytest.approx(start[w.label] - panel.network.learning_rate * grad, rel=1e-12)
    assert "before step 1" in panel.before.object and "after step 1" in panel.after.object
    panel.whole_button.clicks += 1                     # the next step, all at once
    assert panel.steps_done == 2 and "after step 2" in panel.after.object


def test_picture_escapes_names():
    state = GraphState(program="a = 2.0\nb = a * 3.0\n")
    graph = state.graph
    graph.trace["nodes"][0]["label"] = "<script>x</script>"
    svg = picture.svg(graph)
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_only_the_tool_on_screen_follows_the_graph():
    from playground.lesson.view import LessonView
    state = GraphState(program=USED_TWICE)
    view = LessonView(state=state, mode="topo")
    view.build()
    topo = view.panels["topo"]
    view.mode = "break"
    state.load_program(TANH_NEURON)                    # the sort is off screen: not redone now...
    assert len(topo.events) == 5
    assert "<td>w1</td>" in view.panels["break"].check.object   # ...the tool on screen follows at once
    view.set_on_screen(False)
    state.load_program(USED_TWICE)
    assert "<td>w1</td>" in view.panels["break"].check.object   # the Lesson tab is hidden: nothing redrawn
    view.mode = "topo"
    view.set_on_screen(True)                           # ...but once it is shown again
    assert len(topo.events) == 5 and topo.step == 0
    state.load_program(TANH_NEURON)
    assert len(topo.events) > 5


def test_step_code_follows_the_graph_views_animation_step():
    from playground.lesson.step_code import StepCode
    state = GraphState(program="a = 2.0\nb = -3.0\nc = 10.0\ne = a * b\nd = e + c\n")
    panel = StepCode(state=state)
    assert "Press Step or Play" in panel.closure.object
    state.step = 1
    assert "d.grad = 1.0" in panel.loop.object
    # the animation's steps: seed, d -> e, d -> c, e -> a, e -> b (one per contribution)
    for k, (v, marked) in enumerate([("d", "e.grad += 1.0"), ("d", "c.grad += 1.0"),
                                     ("e", "a.grad += -3.0 * 1.0  -&gt;  a.grad = -3.0"),
                                     ("e", "b.grad += 2.0 * 1.0")], start=2):
        state.step = k
        number = [node.label for node in engine.build_topo(state.graph.root)].index(v)   # v's index in topo
        assert f"v = topo[{number}] = {v}" in panel.loop.object
        # the run of reversed(topo): the nodes whose _backward ran (higher numbers) ticked, this one marked
        assert f"<mark class='now' aria-current='step'>topo[{number}] {v}</mark>" in panel.order.object
        done = re.findall(r"<span class='done'>topo\[(\d+)\]", panel.order.object)
        assert done == [str(i) for i in range(4, number, -1)]
        now = re.findall(r'<span class="line now note">([^<]*)</span>', panel.closure.object)
        assert len(now) == 1 and marked in now[0].replace(">", "&gt;")
    assert "local derivative de/db = a = 2.0" in panel.closure.object
    state.load_program(program_from_value(mlp_sample_loss((4, 4))))    # a long run: a window around v
    state.step = 40
    run = panel.order.object
    shown = [int(i) for i in re.findall(r"topo\[(\d+)\]", run)]
    giver = state.graph.steps[39]["from"]
    # (an unnamed node's name may hold a "\u2026" too: `L2N3w4*L1N4`'s long operands are cut that way)
    assert f"<mark class='now' aria-current='step'>topo[{giver}]" in run
    assert "</code>: \u2026, " in run and run.endswith(", \u2026</p>")
    assert shown == list(range(shown[0], shown[0] - len(shown), -1)) and shown[0] - giver == 3
