"""The graph view's Python half: what its components send to the page, and how they follow GraphState."""

import re
import pytest

import engine
from playground.graph.layout import BOX_HEIGHT, BOX_WIDTH
from playground.graph.presets import README_EXAMPLE, TANH_NEURON, USED_TWICE, mlp_sample_loss
from playground.graph.state import GraphState, program_from_value
from playground.graph.drawing import source_data
from playground.graph.steps import ANIMATION_JS
from playground.graph.view import GraphView


def test_source_data_links_every_step_to_its_edge():
    state = GraphState(program=USED_TWICE)
    values, ops, edges, steps = source_data(state.graph)
    assert values["name"] == ["a", "b"] and ops["op"] == ["+"]
    assert steps["edge"][0] == -1  # the seed travels no edge
    for k in range(1, len(steps["node"])):  # both steps into a travel their own edge, from b to a
        edge = steps["edge"][k]
        assert edges["source"][edge] == steps["node"][k] and edges["target"][edge] == steps["from"][k]
    assert sorted(steps["edge"][1:]) == [0, 1]
    assert edges["local"][:2] == [1.0, 1.0]


TOPO_PROGRAMS = {"used twice": USED_TWICE, "square and reuse": "a = 2.0\nb = a * a\nc = b + a\nd = c * b\n",
                 "README example": README_EXAMPLE, "tanh neuron": TANH_NEURON,
                 "2-4-4-1 MLP sample": program_from_value(mlp_sample_loss((4, 4)))}


@pytest.mark.parametrize("program", TOPO_PROGRAMS.values(), ids=TOPO_PROGRAMS)
def test_the_topo_tags_are_engine_build_topos_order(program):
    """Each box's tag topo[i] and the table's topo column (animation.js reads the same column) name the node
    at index i of engine.build_topo(root): its data, its op and its inputs (by their own tags) are that node's."""
    graph = GraphState(program=program).graph
    values, ops, edges, _ = source_data(graph)
    topo = engine.build_topo(graph.root)
    index = {id(v): i for i, v in enumerate(topo)}
    assert sorted(values["topo"]) == list(range(len(topo)))
    row = {tag: r for r, tag in enumerate(values["topo"])}
    tag_of_id = dict(zip(values["id"], values["topo"]))
    op_of_id = dict(zip(ops["id"], ops["engine_op"]))
    inputs = {}
    for source, target, slot in zip(edges["source"], edges["target"], edges["slot"]):
        if slot < 0:    # the line from an op's circle to its box
            continue
        inputs.setdefault(target, {})[slot] = tag_of_id[source]
    for i, v in enumerate(topo):
        r = row[i]
        assert values["topo_text"][r] == f"topo[{i}]"
        assert values["data"][r] == v.data
        assert op_of_id.get(values["id"][r], "") == (engine.OPS[v._op].label(v._exponent) if v._op else "")
        drawn = inputs.get(values["id"][r], {})
        assert [drawn[slot] for slot in sorted(drawn)] == [index[id(c)] for c in v._prev]
        # the tag sits on its box's top-left corner
        x, y = values["x"][r], values["y"][r]
        assert x - BOX_WIDTH / 2 < values["tag_x"][r] < x and values["tag_y"][r] > y + BOX_HEIGHT / 2
    assert values["topo"][values["name"].index(values["name"][-1])] == len(topo) - 1   # the output is last


def test_names_are_the_programs_or_the_expressions_and_constants_get_no_grad():
    state = GraphState(program="x = 2.0\ny = x * 2.0 + 2.0\nz = softplus(y) ** -0.5 + 10.0 / y\n")
    values, ops, _, _ = source_data(state.graph)
    names = values["name"]
    assert names == ["x", "2.0", "x*2.0", "2.0", "y", "softplus(y)", "softplus(y)**-0.5", "10.0", "10.0/y", "z"]
    assert not any(re.search(r"#\d+", name) for name in names)
    assert ops["op"] == ["*", "+", "softplus", "**-0.5", "/", "+"]
    constant = [name in ("2.0", "10.0") for name in names]
    assert values["constant"] == constant
    assert [text for text, c in zip(values["grad_text"], constant) if c] == ["", "", ""]
    assert all(text == "grad \u2014" for text, c in zip(values["grad_text"], constant) if not c)
    assert values["grad_tip"] == ["\u2014"] * len(names)   # the hover's grad: text ("?" while predicting), never NaN
    # a leaf the user named is a leaf, whatever its value; a negative number in an expression is a constant
    state = GraphState(program="a = -4.0\nb = a * -1.5\n")
    values = source_data(state.graph)[0]
    assert values["name"] == ["a", "-1.5", "b"] and values["constant"] == [False, True, False]


def test_view_follows_the_state():
    state = GraphState()
    view = GraphView(state)
    assert "Output <b>g</b> = 24.7041" in view.drawing.summary.object
    assert view.steps.slider.end == len(state.graph.steps)
    state.set_value("a", 1.0)
    assert view.editor.text.value.startswith("a = 1.0\n")
    assert view.editor.leaf_widgets["a"].value == 1.0
    view.editor.leaf_widgets["b"].value = 3.0  # a leaf input edits the state
    assert state.values["b"] == 3.0 and "b = 3.0" in state.program
    view.steps.slider.value = 7  # the page moving the slider moves the state's step
    assert state.step == 7
    state.step = 2
    assert view.steps.slider.value == 2


def test_a_new_leaf_value_sends_only_the_numbers_and_a_new_shape_everything():
    from bokeh.document import Document
    from bokeh.document.events import ColumnDataChangedEvent

    state = GraphState()
    view = GraphView(state)
    assert view.steps.topo_src.data["event"] == []   # build_topo's steps are not in the first render...
    view.steps.mode.active = 1                       # ...they come when its mode is switched on
    assert len(view.steps.topo_src.data["event"]) > len(state.graph.trace["nodes"])
    doc = Document()
    doc.add_root(view.drawing.plot)  # the sources with it
    events = []
    doc.on_change(lambda event: events.append(event))

    state.set_value("a", 1.5)
    sent = {event.model: set(event.cols) for event in events if isinstance(event, ColumnDataChangedEvent)}
    assert sent == {view.drawing.values_src: {"data", "data_text"}, view.drawing.edges_src: {"local"},
                    view.drawing.steps_src: {"local", "upstream", "contribution", "grad_after"}}
    expected = source_data(state.graph)
    for source, columns in zip((view.drawing.values_src, view.drawing.ops_src, view.drawing.edges_src, view.drawing.steps_src), expected):
        assert {name: source.data[name] for name in columns} == columns   # frame aside, all is up to date
    assert state.graph.layout is GraphState(program=state.program).graph.layout   # laid out once per shape

    events.clear()
    state.load_program(README_EXAMPLE.replace("g = h + 10.0 / f", "g = h + 10.0 * f"))
    assert view.drawing.ops_src.data["op"] == source_data(state.graph)[1]["op"] and "*" in view.drawing.ops_src.data["op"]
    replaced = {event.model for event in events if isinstance(event, ColumnDataChangedEvent) and event.cols is None}
    assert replaced == {view.drawing.values_src, view.drawing.ops_src, view.drawing.edges_src, view.drawing.steps_src,
                        view.steps.topo_src}   # every column, and build_topo's steps (they follow the shape)


def test_errors_are_escaped_and_the_drawing_stays():
    state = GraphState()
    view = GraphView(state)
    before = dict(view.drawing.values_src.data)
    state.program = "a = 1.0\nb = a <script>\n"
    assert "line 2" in view.editor.error.object and "<script>" not in view.editor.error.object
    assert view.drawing.values_src.data["name"] == before["name"]


def test_presets_and_gradcheck():
    view = GraphView(GraphState())
    view.editor.preset.value = "tanh neuron"
    assert "Output <b>o</b> = 0.7071" in view.drawing.summary.object
    view.gradient_check.check()
    assert "x1" in view.gradient_check.result.object and "-1.500000" in view.gradient_check.result.object


def test_the_page_code_escapes_labels_and_never_syncs_frames():
    assert "function esc(" in ANIMATION_JS and "${esc(V.name[r])}" in ANIMATION_JS
    assert "innerHTML" not in ANIMATION_JS and "eval(" not in ANIMATION_JS
    assert "prefers-reduced-motion" in ANIMATION_JS


def test_tapping_a_node_picks_it_for_editing():
    view = GraphView(GraphState())
    view.drawing.values_src.selected.indices = [view.drawing.values_src.data["name"].index("c2")]
    assert view.edit_card.node_choice.value == "c2" and view.edit_card.op_left.value == "c2"
    assert not view.edit_card.card.collapsed
    # opened by a tap: a sheet over the window's bottom on a phone (edit_card.SHEET_CSS); closed, in its place
    assert "sheet" in view.edit_card.card.css_classes
    view.edit_card.card.collapsed = True
    assert "sheet" not in view.edit_card.card.css_classes


def test_a_big_graph_opens_readable_at_its_output_and_a_small_one_whole():
    from playground.graph.state import make_graph, program_from_value
    from playground.graph.drawing import FRAME_WIDTH, READABLE_ZOOM, initial_ranges
    import engine
    from engine import nn
    neuron = nn.Neuron(10)([engine.Value(0.1 * i, label=f"x{i}") for i in range(10)])
    big = make_graph(program_from_value(neuron))
    (x0, x1), (y0, y1), zoom = initial_ranges(big)
    assert zoom == READABLE_ZOOM and (x1 - x0) * zoom == pytest.approx(FRAME_WIDTH)
    ox, oy = big.layout["value"][big.trace["nodes"][-1]["id"]]
    assert x0 < ox < x1 and y0 < oy < y1
    small = make_graph(USED_TWICE)
    (x0, x1), (y0, y1), zoom = initial_ranges(small)
    assert all(x0 < x < x1 and y0 < y < y1 for x, y in small.layout["value"].values())


def test_box_texts_are_short_and_hover_keeps_the_full_values():
    from engine import OPS
    from playground.graph.drawing import NAME_CHARS, short_name, short_number
    assert short_name("L1N1w2") == "L1N1w2"
    assert short_name("a_very_long_name_for_a_node") == "a_very_lon\u2026" and len(short_name("x" * 32)) == NAME_CHARS
    assert [short_number(x) for x in (138.83381, -4.0, 0.0, 1e-5, -123456.7, 9999.99999)] == \
        ["138.8338", "-4.0000", "0.0000", "1.00e-05", "-1.23e+05", "10000.0000"]
    assert all(len(short_number(x)) <= 10 for x in (-1e300, -9999.99999, 1e-300, -0.0005, 12345678.9))
    assert [OPS["**n"].draw(n) for n in (2.0, -0.5, -10.5)] == ["^2", "^-.5", "^-10.5"]
    assert [OPS[op].draw() for op in ("ReLU", "sigmoid", "softplus", "tanh", "+")] == ["relu", "\u03c3", "sp", "tanh", "+"]
    view = GraphView(GraphState(program="x = 123456.0\nlonger_than_eleven = x * 2\n"))
    values = view.drawing.values_src.data
    assert values["short_name"] == ["x", "2.0", "longer_tha\u2026"] and values["data_text"][0] == "data 1.23e+05"
    assert values["name"][2] == "longer_than_eleven" and values["data"][0] == 123456.0  # for hover and table
    hover = [t.tooltips for t in view.drawing.plot.tools if type(t).__name__ == "HoverTool"]
    assert ("data", "@data{%.12g}") in hover[0] and ("operation", "@engine_op") in hover[1]


def test_the_plot_takes_the_width_it_gets_and_a_height_that_suits_the_graph():
    from playground.graph.drawing import PAGE_ABOVE_PLOT, PLOT_HEIGHTS, TOOLBAR_HEIGHT
    view = GraphView(GraphState(program=USED_TWICE))
    assert view.drawing.plot.sizing_mode == "stretch_width" and view.drawing.plot.frame_width is None
    # CSS height: the graph's height (one row of boxes: the smallest), at most what the window leaves around it.
    assert view.drawing.plot.styles["height"] == \
        f"min({PLOT_HEIGHTS[0] + TOOLBAR_HEIGHT}px, max(150px, calc(100vh - {PAGE_ABOVE_PLOT}px)))"
    view.editor.preset.value = "2-4-4-1 MLP: one sample and its loss"
    assert view.drawing.plot.styles["height"].startswith(f"min({PLOT_HEIGHTS[1] + TOOLBAR_HEIGHT}px,")  # tall: the tallest
    assert view.node_table.table.styles["max-height"] == f"{PLOT_HEIGHTS[1] + 80}px"  # the table scrolls beside the plot
    frame = view.drawing.values_src.data["frame"][0]
    view.editor.preset.value = "a 10-input neuron"  # new leaves: the page is asked to frame the new graph
    assert view.drawing.values_src.data["frame"] == [frame + 1] * 42
    view.state.set_value("x1", 0.5)  # new values only: the view stays where the student put it
    assert view.drawing.values_src.data["frame"] == [frame + 1] * 42


def test_the_view_wraps_editor_drawing_and_table():
    view = GraphView(GraphState())
    page = view.__panel__()
    assert "graph-view" in page.css_classes
    flex = page[0]
    assert type(flex).__name__ == "FlexBox" and flex.flex_wrap == "wrap"
    editor, middle, table = flex
    assert editor is view.editor.__panel__() and editor[0] is view.editor.fold
    assert editor[1][0] is view.editor.preset   # the first select: the presets
    assert list(middle) == [view.steps.__panel__(), view.predict.__panel__(), view.drawing.__panel__(),
                            view.steps.timeline, view.gradient_check.__panel__()]
    assert "graph-editor" in editor.css_classes   # a narrow frame puts it after the drawing (NARROW_CSS)
    assert middle.styles["flex"].startswith("4 ") and table.styles["flex"].startswith("1 ")
    assert "graph-table-box" in table.css_classes and table[0].object is view.node_table.table
    assert page[1] is view.edit_card.card


def test_the_editor_folds_away_and_back():
    editor = GraphView(GraphState()).editor
    assert editor.body.visible and editor.fold.label == "Hide the program"
    editor.fold.value = True
    assert not editor.body.visible and editor.fold.label == "Show the program"
    editor.fold.value = False
    assert editor.body.visible and editor.fold.label == "Hide the program"


def test_each_part_is_a_viewer_over_the_same_state():
    import panel as pn
    state = GraphState()
    view = GraphView(state)
    parts = [view.editor, view.drawing, view.node_table, view.steps, view.gradient_check, view.edit_card]
    assert all(isinstance(part, pn.viewable.Viewer) and part.state is state for part in parts + [view])


def test_hide_hides_the_parts_named_and_shows_the_others():
    view = GraphView(GraphState())
    page = view.__panel__()
    editor, card, check = page[0][0], page[1], page[0][1][4]

    view.hide({"editor", "curves"})  # "curves" is the training view's: nothing here
    assert (editor.visible, card.visible, check.visible) == (False, True, True)
    view.hide({"controls"})
    assert (editor.visible, card.visible, check.visible) == (True, False, False)
    view.hide(set())
    assert editor.visible and card.visible and check.visible
    assert page[0][1][0].visible and page[0][2].visible  # the drawing and the table are never hidden


@pytest.mark.parametrize("program", TOPO_PROGRAMS.values(), ids=TOPO_PROGRAMS)
def test_build_topo_mode_steps_are_the_engines_sort(program):
    """The build_topo mode's steps (topo_src): every node visited once, appended in build_topo's order (its tag's
    number), a value used twice met again as "seen"; one caption per step, the last naming backward's order."""
    from playground.graph.drawing import display_names
    from playground.graph.topo_steps import topo_columns
    view = GraphView(GraphState(program=program))
    view.steps.mode.active = 1                        # the mode on: its steps go to the page
    graph = view.state.graph
    columns = view.steps.topo_src.data
    assert columns == topo_columns(graph, display_names(graph.trace["nodes"]))
    topo = engine.build_topo(graph.root)
    appends = [(node, number) for event, node, number in zip(columns["event"], columns["node"], columns["number"])
               if event == "append"]
    assert appends == [(i, i) for i in range(len(topo))]     # the tag topo[i] of node i, given in order
    visits = [node for event, node in zip(columns["event"], columns["node"]) if event == "visit"]
    assert sorted(visits) == list(range(len(topo)))
    uses = sum(len(v._prev) for v in topo)                    # every input edge is one call of build_topo
    assert columns["event"].count("seen") == uses - (len(topo) - 1)
    assert len(columns["caption"]) == len(columns["event"])
    assert columns["caption"][-1].endswith(", ".join(str(i) for i in reversed(range(len(topo)))) + ".")
