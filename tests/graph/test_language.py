"""The graph language: the presets compute what micrograd computes, and hostile input gives a clean message."""

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine
from playground.graph.language import MAX_DEPTH, MAX_NODES, ProgramError, build_graph, parse_program
from playground.graph.presets import DIVISION_AND_POWERS, README_EXAMPLE, TANH_NEURON, USED_TWICE


def run(text, values=None):
    program = parse_program(text)
    root, env = build_graph(program, values)
    engine.fresh_backward(root)
    return root, env


def test_readme_example_matches_micrograd():
    root, env = run(README_EXAMPLE)
    assert f"{root.data:.4f}" == "24.7041"
    assert f"{env['a'].grad:.4f}" == "138.8338"
    assert f"{env['b'].grad:.4f}" == "645.5773"
    assert root.label == "g"


def test_readme_example_equals_the_same_expression_in_micrograd():
    from micrograd.engine import Value as MicroValue
    a, b = MicroValue(-4.0), MicroValue(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    root, env = run(README_EXAMPLE)
    assert root.data == pytest.approx(g.data, rel=1e-12)
    assert env["a"].grad == pytest.approx(a.grad, rel=1e-12)
    assert env["b"].grad == pytest.approx(b.grad, rel=1e-12)


def test_tanh_neuron():
    root, env = run(TANH_NEURON)
    assert root.data == pytest.approx(0.7071067811865476)
    assert env["x1"].grad == pytest.approx(-1.5)
    assert env["w1"].grad == pytest.approx(1.0)
    assert env["x2"].grad == pytest.approx(0.5)
    assert env["w2"].grad == pytest.approx(0.0)


def test_a_value_used_twice_gets_both_contributions():
    root, env = run(USED_TWICE)
    assert root.data == 6.0 and env["a"].grad == 2.0


def test_division_and_powers_against_finite_differences():
    root, _ = run(DIVISION_AND_POWERS)
    for row in engine.gradcheck(root):
        assert row["analytic"] == pytest.approx(row["numeric"], rel=1e-5, abs=1e-7)


def test_leaves_numbers_and_overrides():
    program = parse_program("a = 2\nb = -3.5\nc = +1e-3\nd = a * b + c\n")
    assert program.leaves == {"a": 2.0, "b": -3.5, "c": 0.001}
    assert program.output == "d"
    root, _ = build_graph(program, {"a": 10.0})
    assert root.data == pytest.approx(10.0 * -3.5 + 0.001)


def test_number_constants_are_single_nodes_and_value_exponents_work():
    root, env = run("x = 3.0\ny = 2.0\nz = x ** y * -2\n")
    assert root.data == -18.0
    nodes = engine.trace(root)["nodes"]
    assert [n["op"] for n in nodes].count("neg") == 0  # -2 is one constant, not neg(2)
    assert env["y"].grad == pytest.approx(-2 * 9.0 * __import__("math").log(3.0))


def test_functions():
    root, env = run("x = 0.5\ny = relu(x) + tanh(x) + exp(x) + log(x) + sigmoid(x) + softplus(x)\n")
    for row in engine.gradcheck(root):
        assert row["analytic"] == pytest.approx(row["numeric"], rel=1e-5)


HOSTILE = {
    "syntax error": ("a = 2.0\nb = a +\n", "syntax error", 2),
    "unknown name": ("a = 2.0\nb = a * c\n", "unknown name 'c'", 2),
    "used before assignment": ("b = a * 2\na = 1.0\n", "unknown name 'a'", 1),
    "unknown function": ("a = 2.0\nb = sqrt(a)\n", "unknown function 'sqrt'", 2),
    "attribute access": ("a = 2.0\nb = a.__class__\n", "Attribute is not allowed", 2),
    "import via call": ("a = __import__('os')\n", "unknown function '__import__'", 1),
    "eval": ("a = eval('1')\n", "unknown function 'eval'", 1),
    "method call": ("a = 2.0\nb = a.exp()\n", "unknown function", 2),
    "call of a call": ("a = 2.0\nb = tanh(a)(a)\n", "unknown function", 2),
    "string": ("a = 'x'\n", "only numbers", 1),
    "bool": ("a = True\n", "only numbers", 1),
    "complex": ("a = 2j\n", "only numbers", 1),
    "list comprehension": ("a = [x for x in range(9)]\n", "ListComp is not allowed", 1),
    "generator": ("a = sum(x for x in range(9))\n", "unknown function 'sum'", 1),
    "lambda": ("f = lambda: 1\n", "Lambda is not allowed", 1),
    "subscript": ("a = 2.0\nb = a[0]\n", "Subscript is not allowed", 2),
    "comparison": ("a = 2.0\nb = a < 3\n", "Compare is not allowed", 2),
    "ternary": ("a = 2.0\nb = a if a else 1\n", "IfExp is not allowed", 2),
    "f-string": ("a = f'{1}'\n", "JoinedStr is not allowed", 1),
    "walrus": ("a = (b := 2)\n", "NamedExpr is not allowed", 1),
    "import": ("import os\n", "only assignments", 1),
    "expression statement": ("a = 1.0\na * 2\n", "only assignments", 2),
    "augmented assignment": ("a = 1.0\na += 1\n", "only assignments", 2),
    "def": ("def f():\n    pass\n", "only assignments", 1),
    "two targets": ("a = b = 1.0\n", "exactly one plain name", 1),
    "tuple target": ("a, b = 1.0, 2.0\n", "exactly one plain name", 1),
    "attribute target": ("a.b = 1.0\n", "exactly one plain name", 1),
    "reassignment": ("a = 1.0\na = a * 2\n", "assigned twice", 2),
    "function name as variable": ("tanh = 1.0\n", "function name", 1),
    "function without call": ("a = 1.0\nb = a * tanh\n", "is a function", 2),
    "two arguments": ("a = 1.0\nb = tanh(a, a)\n", "exactly one argument", 2),
    "keyword argument": ("a = 1.0\nb = tanh(x=a)\n", "exactly one argument", 2),
    "copy of a name": ("a = 1.0\nb = a\n", "only copies", 2),
    "unary plus copy": ("a = 1.0\nb = +a\n", "only copies", 2),
    "non-ascii name": ("é = 1.0\n", "ASCII", 1),
    "division by zero": ("a = 1.0\nb = 0.0\nc = a / b\n", "division", 3),
    "log of a negative": ("a = -1.0\nb = log(a)\n", "log", 2),
    "exp overflow": ("a = 1000.0\nb = exp(a)\n", "overflow", 2),
    "9**9**9": ("a = 9**9**9\n", "overflow", 1),
    "float overflow": ("a = 1e15\nb = a * 1e300\n", "not a finite number", 2),
    "leaf too large": ("a = 1e308\nb = a * 10\n", "between", 1),
    "a 20,000-term sum": ("a = 1.0\nb = " + " + ".join(["a"] * 20_000) + "\n", "nested too deeply", 2),
    "infinite leaf": ("a = 1e999\nb = a * 2\n", "not a finite number", 1),
    "infinite constant": ("a = 1.0\nb = a * -1e999\n", "not a finite number", 2),
    "negative base, fractional exponent": ("a = -2.0\nb = a ** 0.5\n", "not a real number", 2),
    "empty": ("\n# nothing\n", "empty", 0),
    "null byte": ("a = 1.0\0\n", "null bytes", 0),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_input_gives_a_located_message(name):
    text, message, line = HOSTILE[name]
    with pytest.raises(ProgramError) as caught:
        build_graph(parse_program(text))
    assert message in str(caught.value)
    assert caught.value.line == line
    if line:
        assert caught.value.column >= 1
        assert str(caught.value).startswith(f"line {line}, column ")


def test_ten_thousand_nested_parentheses():
    with pytest.raises(ProgramError) as caught:
        parse_program("a = " + "(" * 10_000 + "1" + ")" * 10_000 + "\n")
    assert "nested" in str(caught.value)


def test_deep_unary_minus_and_long_sums_are_refused_cleanly():
    for text in ("a = " + "-" * 100_000 + "1\n", "a = 1.0\nb = " + "+".join(["a"] * 100_000) + "\n"):
        with pytest.raises(ProgramError):
            parse_program(text)


def test_node_cap():
    lines = (MAX_NODES // MAX_DEPTH) + 1
    text = "a = 1.0\n" + "".join(f"b{i} = " + " + ".join(["a"] * MAX_DEPTH) + "\n" for i in range(lines))
    with pytest.raises(ProgramError) as caught:
        parse_program(text)
    assert f"more than {MAX_NODES:,} nodes" in str(caught.value)


def test_a_long_chain_under_the_cap_builds_without_recursion():
    text = "a = 1.0\nb = " + " + ".join(["a"] * MAX_DEPTH) + "\n"   # MAX_DEPTH - 1 operations
    root, env = run(text)
    assert root.data == MAX_DEPTH and env["a"].grad == MAX_DEPTH
    with pytest.raises(ProgramError, match="nested too deeply"):   # one more: refused before ast.parse
        run("a = 1.0\nb = " + " + ".join(["a"] * (MAX_DEPTH + 2)) + "\n")


def test_huge_integer_literal_and_huge_text():
    with pytest.raises(ProgramError):
        parse_program("a = " + "9" * 5000 + "\n")
    with pytest.raises(ProgramError) as caught:
        parse_program("a = 1.0\n" * 20_000)
    assert "too long" in str(caught.value)


def test_nothing_is_executed(tmp_path):
    marker = tmp_path / "pwned"
    attempts = [f"a = __import__('os').system('touch {marker}')\n",
                f"a = open('{marker}', 'w')\n",
                f"a = (lambda: open('{marker}', 'w'))()\n"]
    for text in attempts:
        with pytest.raises(ProgramError):
            build_graph(parse_program(text))
    assert not os.path.exists(marker)


TOKENS = ["a", "b", "x1", " = ", "\n", "+", "-", "*", "/", "**", "(", ")", "2.0", "0", "-3", "1e308", "9",
          "tanh(", "log(", "exp(", "relu(", "sigmoid(", ",", ".", "[", "]", "lambda", ":", "'s'", "import os",
          "__import__(", "#", " ", "\t", "if", "else", "for", "in", "=="]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=40))
def test_any_token_soup_either_builds_or_gives_a_program_error(tokens):
    text = "a = 1.5\nb = -2.0\n" + "".join(tokens)
    try:
        root, _ = build_graph(parse_program(text))
    except ProgramError as e:
        assert e.message
    else:
        assert isinstance(root, engine.Value)
