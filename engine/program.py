"""A Value's graph written as a program of the playground's graph language (playground/graph/language.py).

    a = 2.0
    b = -3.0
    c = tanh(a * b + 1.0)

The playground parses such text with its own safe reader and nothing else, so this is how a graph made in
Python travels into the playground: engine.playground_link() puts this text into a link. It lives in the
engine because the engine imports nothing from playground/; the language's reader accepts what this writes
(tests/graph/test_every_op.py: every op round-trips).
"""
import keyword
import re
from collections import Counter

from .graph import trace
from .ops import OPS

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,31}\Z")   # the names the language and a shared document accept
FUNCTIONS = tuple(op.function for op in OPS.values() if op.function)   # relu(x), tanh(x), ...


class UnwritableGraph(ValueError):
    """A graph the language cannot write (an op that is not in the engine's table)."""


def people_number(x):
    """A number as a program shows it to people: 12 significant digits at most, so 0.1 + 0.2 reads 0.3, not
    0.30000000000000004 (a change of at most one part in 10**12)."""
    return repr(float(f"{x:.12g}"))


def _parenthesized(text, needed):
    """An inlined expression as an operand: in parentheses unless it is a number, a name or a call."""
    return f"({text})" if needed and not (re.fullmatch(r"\w[\w.]*", text) or _one_call(text)) else text


def _one_call(text):
    """Is the whole text one call, f(...)? (Not f(a) + g(b), where the first call closes early.)"""
    if not re.match(r"\w+\(", text):
        return False
    depth = 0
    for k, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and char == ")":
            return k == len(text) - 1
    return False


def program_from_value(root):
    """Write an engine Value's graph as a program, in topological order.

    Nodes with a usable, unique label get a line of their own under that name. Unnamed nodes used once are
    written inside the expression that uses them (the drawing names them after that expression: `w1*x1`),
    an unnamed leaf used once as a number (a constant); other unnamed nodes get a line as n<id>. Each op is
    written as its row of the engine's op table says; an op not in the table raises UnwritableGraph.
    """
    graph = trace(root)
    uses = Counter(i for node in graph["nodes"] for i in node["inputs"])
    names = {}
    for node in graph["nodes"]:   # a usable label names its first node; Python's keywords cannot be assigned
        label = node["label"]
        if (NAME.match(label or "") and label not in FUNCTIONS and not keyword.iskeyword(label)
                and label not in names.values()):
            names[node["id"]] = label
    taken = set(names.values())
    for node in graph["nodes"]:   # other nodes that need a line get n<id>, never a name a label already has
        if node["id"] not in names and (uses[node["id"]] != 1 or node is graph["nodes"][-1]):
            name = f"n{node['id']}"
            while name in taken:
                name = "_" + name
            names[node["id"]] = name
            taken.add(name)
    lines, inline = [], {}   # inline: id -> the text of an unnamed node, written where it is used
    for node in graph["nodes"]:
        op = node["op"]
        if op and op not in OPS:
            raise UnwritableGraph(f"the graph view cannot write the operation {op!r} as a program")
        if not op:
            text = people_number(node["data"])
        else:
            function = OPS[op].function    # its argument needs no parentheses of its own
            args = [names.get(i) or _parenthesized(inline.pop(i), not function) for i in node["inputs"]]
            text = OPS[op].write(args, node["exponent"])
        if node["id"] in names:
            lines.append(f"{names[node['id']]} = {text}")
        else:
            inline[node["id"]] = text
    return "\n".join(lines) + "\n"
