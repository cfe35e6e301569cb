"""A scalar autograd engine faithful to micrograd, plus small nn, losses, optimizers and data sets.

    from engine import Value
    a, b = Value(2.0, label='a'), Value(-3.0, label='b')
    c = (a * b + a ** b).tanh()
    c.backward()              # accumulates, like micrograd
    engine.fresh_backward(c)  # zeroes the graph's grads first: same result every time
    c                         # in Jupyter: c's graph, drawn inline (draw_svg(c) gives the SVG text)
    playground_link(c, base_url="https://your.host/playground/")   # opens c's graph in the playground
"""
from .ops import OPS, DomainError
from .value import Value, apply
from .graph import build_topo, backward, fresh_backward, forward, trace, backward_events, gradcheck
from .drawing import draw_svg
from .link import playground_link

__all__ = ["Value", "DomainError", "OPS", "apply", "build_topo", "backward", "fresh_backward", "forward", "trace",
           "backward_events", "gradcheck", "draw_svg", "playground_link"]
