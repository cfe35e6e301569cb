"""The graph view: build an expression graph in a small safe language, see every node, replay backward.

    language.py   the safe language: parse_program(text) (an ast whitelist, never eval), build_graph -> Values
    edits.py      point-and-click edits (add leaf/operation, delete, rename, set a leaf) as edits of the text
    layout.py     left-to-right layers like micrograd's draw_dot
    state.py      GraphState: program, values, step (what a share link stores); everything else derives
    view.py       GraphView: the graph view, composed of the components below, each a Viewer over GraphState
    editor.py     ProgramEditor: presets, program text, Draw, error line, leaf inputs
    drawing.py    GraphDrawing (summary + Bokeh plot, source_data) and NodeTable
    steps.py      StepControls: Backward/Play/Step/Reset, speed, Fit, step slider, explanation, Backward | build_topo
    animation.js  the in-page half of StepControls: draws backward step k, plays the steps with a moving pulse;
                  in build_topo mode, the depth-first sort numbering the boxes (topo_steps.py: its steps in words)
    framing.js    where the plot looks: frames each new graph, follows the boxes of the step shown, keeps a
                  student's own pan and zoom (run with animation.js, in the same callback)
    predict.py    predict mode's logic (pure): each step's question, hint and check, the score
    predict_view.py PredictPanel: predict mode in the page (the toggle, the question, the answer box)
    gradcheck.py  GradientCheck: backward against finite differences
    edit_card.py  EditCard: edit by clicking

For other views:
    state = GraphState()                  # or the one app.py made
    state.load_program("a = 2.0\\nb = tanh(a)\\n")
    state.load_value(loss)                # show an engine Value's graph, e.g. one data point's loss
    GraphView(state)                      # the component to place on the page; .hide({"editor"}) hides a part
Problems never raise: they land in state.error and the graph on screen stays.
"""
from .state import GraphState, program_from_value

__all__ = ["GraphState", "program_from_value"]
