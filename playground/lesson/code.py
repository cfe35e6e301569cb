"""The code of backward as micrograd writes it, with the numbers of one step filled in.

The `_backward` lines come from the engine's op table (engine.OPS: each op's `backward`, one line per input,
tested there to be the engine's own rule); here their names become this graph's names and their operands
become this step's numbers:

    self.grad += other.data * out.grad     ->   a.grad += -3.0 * 1.0   ->  a.grad = -3.0

`backward_steps(graph)` is the backward pass as the lesson steps through it: first `self.grad = 1.0` on the
output, then one step per `_backward` call, in the order of `for v in reversed(topo): v._backward()` (a
leaf's call does nothing, as in micrograd). tests/lesson/test_code.py evaluates the filled-in lines and checks
they give the engine's grads bit for bit.
"""
import re

from engine import OPS

from .picture import node_names

# the operands of a backward line, longest first so `other.data` is not read as `other`
OPERAND = re.compile(r"\b(self\.data|other\.data|out\.data|out\.grad|other)\b(?!\.)")
LHS = re.compile(r"^(self|other)\.grad \+= ")

LOOP = [
    "def backward(self):",
    "    topo = build_topo(self)",
    "    self.grad = 1.0",
    "    for v in reversed(topo):",
    "        v._backward()",
]
SEED_LINE, CALL_LINE = 2, 4


def number_text(x, exact=False):
    """A number as the code shows it: repr when exact (what the tests evaluate), else 4 decimals, trailing
    zeros dropped (-3.0, 0.7071)."""
    if exact:
        return repr(float(x))
    text = f"{x:.4f}".rstrip("0")
    text = text + "0" if text.endswith(".") else text
    return "0.0" if text == "-0.0" else text


def fill(line, names, numbers, exact=False):
    """One backward line with this step's names and numbers:
    names = (name of self, name of other); numbers = {"self.data", "other.data", "out.data", "out.grad",
    "other"} (other: the exponent n of x ** n). A negative number is put in parentheses unless it starts the
    right-hand side and is not raised to a power, so the text means what the engine computed."""
    target = LHS.match(line)
    lhs = f"{names[0] if target[1] == 'self' else names[1]}.grad += "
    rhs = line[target.end():]

    def put(match):
        value = numbers[match[1]]
        text = number_text(value, exact)
        if value < 0 or text.startswith("-"):
            if match.start() > 0 or rhs[match.end():].lstrip().startswith("**"):
                text = f"({text})"
        return text
    return lhs + OPERAND.sub(put, rhs)


def _op_row(node):
    return OPS[node["op"]]


def backward_steps(graph, events):
    """The lesson's backward steps for a traced graph (engine.trace) and its engine.backward_events.

    Step 0 is before backward. Step 1 seeds the output (self.grad = 1.0). Then one step per node of
    reversed(topo): {"node", "op" (None for a leaf), "header", "lines" [{"input", "code" (the op table's line),
    "filled", "exact" (filled with repr numbers), "formula", "local", "contribution", "grad_before",
    "grad_after"}], "grads" (every grad after this step, by id)}."""
    nodes = graph["nodes"]
    names = code_names(nodes)
    by_node = {e["node"]: e for e in events}
    output = nodes[-1]["id"]
    grads = {output: 1.0}
    steps = [{"node": output, "op": None, "header": f"{names[output]}.grad = 1.0", "lines": [],
              "grads": dict(grads)}]
    for node in reversed(nodes):
        i = node["id"]
        if i not in by_node:     # a leaf: micrograd's `lambda: None`
            steps.append({"node": i, "op": None, "header": f"{names[i]} is a leaf: its _backward does nothing",
                          "lines": [], "grads": dict(grads)})
            continue
        row, event = _op_row(node), by_node[i]
        inputs = node["inputs"]
        x = [nodes[j]["data"] for j in inputs]
        numbers = {"self.data": x[0], "other.data": x[1] if len(x) > 1 else None, "out.data": node["data"],
                   "out.grad": event["upstream"], "other": node.get("exponent")}
        input_names = [names[j] for j in inputs] + [None]
        written = row.write([names[j] for j in inputs], node.get("exponent"))  # e.g. 'a * b' 
        lines = []
        for slot, (code, arrival) in enumerate(zip(row.backward, event["inputs"])):
            before = grads.get(arrival["node"], 0.0)
            grads[arrival["node"]] = arrival["grad_after"]
            lines.append({"input": arrival["node"], "code": code,
                          "filled": fill(code, input_names, numbers),
                          "exact": fill(code, input_names, numbers, exact=True),
                          "formula": row.formula_for(slot, [_math_name(nodes[j], names[j]) for j in inputs],
                                                     node.get("exponent")),
                          "local": arrival["local"], "contribution": arrival["contribution"],
                          "grad_before": before, "grad_after": arrival["grad_after"]})
        roles = ", ".join(f"{role} = {names[j]}" for role, j in zip(("self", "other"), inputs))
        steps.append({"node": i, "op": node["op"], "header": f"{names[i]} = {written}   ({roles}, out = {names[i]})",
                      "lines": lines,
                      "grads": dict(grads)})
    return steps


IDENTIFIER = re.compile(r"[A-Za-z_]\w*\Z")


def code_names(nodes):
    """Names as code can write them: a node's label when it is a Python name, else Value(data) for a
    constant (the 2.0 of `x * 2.0`) or, for an unnamed node, the expression that makes it (the picture's name)."""
    shown = node_names(nodes)
    return {n["id"]: shown[n["id"]] if IDENTIFIER.match(shown[n["id"]])
            else f"Value({number_text(n['data'])})" if not n["op"] else shown[n["id"]] for n in nodes}


def _math_name(node, name):
    """A constant is its number in a formula (-10.0/f**2), a named node its name."""
    return number_text(node["data"]) if name.startswith("Value(") else name


def closure_code(step, names):
    """The closure of a step's op as micrograd writes it: (lines of code, {line: the numbers filled in})."""
    code = [f"# {step['header']}", "def _backward():"]
    notes = {}
    for line in step["lines"]:
        code.append("    " + line["code"])
        notes[len(code) - 1] = f"{line['filled']}  ->  {names[line['input']]}.grad = {number_text(line['grad_after'])}"
    return code, notes
