"""The graph view's little language: Python-style assignments over numbers and names.

    a = 2.0
    b = -3.0
    e = a * b
    L = tanh(e + 1)

Allowed: one name per assignment, numbers, names assigned above, unary plus, parentheses, and the operators
and functions of the engine's op table (engine/ops.py: each op says how this language writes it, e.g. `{0} * {1}`,
`-{0}`, `tanh({0})`; OPERATORS and FUNCTIONS below list them; a function takes one argument). Names become
node labels and the last assignment is the output. An assignment of a bare number (`a = 2.0`, `b = -3`) is a *leaf*: its value
can be edited; numbers inside expressions become constant leaves.

`parse_program(text)` checks the text against a whitelist of `ast` node types; Python never evaluates it.
`build_graph(program, leaves)` then makes the engine Values, one operation at a time; `program_from_value(root)`
goes the other way, writing any engine Value's graph as a program. Every problem is a
`ProgramError` carrying the line and column; hostile input (9**9**9, 10,000 nested parentheses, huge programs)
ends in such an error, never in a hang or a crash.
"""

import ast
import functools
import math
import re
import types
import warnings
from dataclasses import dataclass

import engine
from engine import OPS, Value
from engine.program import NAME, UnwritableGraph
from engine.program import program_from_value as _program_from_value


def _syntax(op):
    """The ast node type of the op as the language writes it: (BinOp or UnaryOp, operator class) or (Call, name);
    read from the op's `written` form, so a new row of the table is a new construct here."""
    tree = ast.parse(op.write(["a", "b"], exponent=2), mode="eval").body
    if isinstance(tree, ast.Call):
        return ast.Call, tree.func.id
    return type(tree), type(tree.op)


# (ast node type, operator or function name) -> engine op; `x ** 2` (a number exponent) is the op '**n'
_SYNTAX = {_syntax(op): op.name for op in OPS.values() if not op.takes_exponent}
_EXPONENT_OPS = {_syntax(op): op.name for op in OPS.values() if op.takes_exponent}
FUNCTIONS = tuple(name for kind, name in _SYNTAX if kind is ast.Call)
OPERATORS = tuple(OPS[op].write(["", ""]).strip() for (kind, _), op in _SYNTAX.items() if kind is ast.BinOp)
MAX_NODES = 2000  # more than that is not a graph a student can read, and slow to draw
MAX_CHARS = 100_000  # checked before ast.parse so a pasted novel is refused at once
# Operations and parentheses in one statement, counted before ast.parse: Python's parser and the ast
# recurse once per level, and `a + a + a ...` nests left-deep, one level per term. The browser's stack
# is much smaller than CPython's (a 20,000-term sum killed the page): deeper input must never reach them.
MAX_DEPTH = 200
MAX_LEAF = 1e15  # a leaf's value; students try big numbers on purpose, but a document holds no 1e300
_DEPTH_TOKENS = re.compile(r"#[^\n]*|\*\*|[-+*/(\n]|\)")

_BINARY = tuple(operator for kind, operator in _SYNTAX if kind is ast.BinOp)
_UNARY = tuple(operator for kind, operator in _SYNTAX if kind is ast.UnaryOp) + (ast.UAdd,)  # +x: x itself
# What may appear inside an expression; anything else (attributes, subscripts, lambdas, comprehensions,
# comparisons, strings, ...) is refused by name in the error message.
_MAKES_A_NODE = (ast.BinOp, ast.UnaryOp, ast.Call, ast.Constant)  # at most one node each
_ALLOWED = (ast.BinOp, ast.UnaryOp, ast.Call, ast.Name, ast.Constant, ast.Load) + _BINARY + _UNARY


class ProgramError(ValueError):
    """A problem with the program, located at a line and column (both 1-based; 0 when unknown)."""

    def __init__(self, message, line=0, column=0):
        self.message, self.line, self.column = message, line, column
        where = f"line {line}, column {column}: " if line else ""
        super().__init__(where + message)


@dataclass
class Statement:
    name: str
    expr: ast.expr
    line: int
    column: int


@dataclass
class Program:
    statements: tuple
    leaves: types.MappingProxyType  # leaf name -> value written in the text (read-only: Programs are shared)

    @property
    def output(self):
        return self.statements[-1].name


def _error_at(node, message):
    return ProgramError(message, getattr(node, "lineno", 0), getattr(node, "col_offset", -1) + 1)


def _number(node):
    """The value of `2.0`, `-3` or `+1e-3`, or None if the node is not a plain number."""
    sign = 1.0
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        sign = -1.0 if isinstance(node.op, ast.USub) else 1.0
        node = node.operand
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        try:
            return sign * float(node.value)
        except OverflowError:  # an int literal too large for a float
            raise _error_at(node, "number too large") from None
    return None


def _check_expression(expr, known_names):
    """Refuse everything outside the whitelist. ast.walk is iterative, so deep trees are fine here."""
    for node in ast.walk(expr):
        if not isinstance(node, _ALLOWED):
            raise _error_at(node, f"{type(node).__name__} is not allowed here")
        if isinstance(node, ast.Constant) and type(node.value) not in (int, float):
            raise _error_at(node, f"only numbers are allowed, not {type(node.value).__name__}")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                what = node.func.id if isinstance(node.func, ast.Name) else "this"
                raise _error_at(node, f"unknown function {what!r}; use one of {', '.join(FUNCTIONS)}")
            if len(node.args) != 1 or node.keywords:
                raise _error_at(node, f"{node.func.id}() takes exactly one argument")
        if isinstance(node, ast.Name) and node.id not in known_names and node.id not in FUNCTIONS:
            raise _error_at(node, f"unknown name {node.id!r} (assign it on a line above)")
        if isinstance(node, ast.Name) and node.id in FUNCTIONS and not _is_called(node, expr):
            raise _error_at(node, f"{node.id} is a function: write {node.id}(x)")


def _is_called(name_node, expr):
    return any(isinstance(n, ast.Call) and n.func is name_node for n in ast.walk(expr))


def check_depth(text):
    """Refuse a statement with more than MAX_DEPTH operations and parentheses, without recursion."""
    line, start, depth, count = 1, 1, 0, 0  # line now; line the statement started; open parentheses
    for token in _DEPTH_TOKENS.finditer(text):
        kind = token.group()
        if kind == "\n":
            line += 1
            if depth <= 0:
                start, depth, count = line, 0, 0
        elif kind == ")":
            depth -= 1
        elif kind[0] != "#":
            depth += kind == "("
            count += 1
            if count > MAX_DEPTH:
                raise ProgramError(f"nested too deeply: more than {MAX_DEPTH} operations and parentheses in one "
                                   "statement (split it over several lines)", start, 1)


def _parse_tree(text):
    if len(text) > MAX_CHARS:
        raise ProgramError(f"the program is too long ({len(text):,} characters, at most {MAX_CHARS:,})")
    check_depth(text)
    try:
        with warnings.catch_warnings():  # e.g. SyntaxWarning for '1if': the text is refused or fine anyway
            warnings.simplefilter("ignore")
            return ast.parse(text, mode="exec")
    except SyntaxError as e:
        raise ProgramError(f"syntax error: {e.msg}", e.lineno or 0, e.offset or 0) from None
    except (RecursionError, MemoryError):  # the parser's own limits on deeply nested input
        raise ProgramError("the program is nested too deeply to read") from None
    except ValueError as e:  # e.g. a null byte in the text
        raise ProgramError(str(e)) from None


@functools.lru_cache(maxsize=2)
def parse_program(text):
    """Check `text` and return a Program, or raise ProgramError. Nothing is evaluated.

    The last two texts are remembered (the Program is shared: read it, never change it): one edit asks for
    the text before it and the text after it several times (its leaves, the edit, the new graph)."""
    tree = _parse_tree(text)
    statements, leaves, names = [], {}, set()
    size = 0
    for stmt in tree.body:
        if not isinstance(stmt, ast.Assign):
            raise _error_at(stmt, f"only assignments like 'x = a * b' are allowed, not {type(stmt).__name__}")
        if len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name):
            raise _error_at(stmt, "assign to exactly one plain name, like 'x = ...'")
        name = stmt.targets[0].id
        if not NAME.match(name):
            raise _error_at(stmt, f"{name!r}: names are ASCII letters, digits and _, at most 32 characters")
        if name in FUNCTIONS:
            raise _error_at(stmt, f"{name!r} is a function name; pick another name")
        if name in names:
            raise _error_at(stmt, f"{name!r} is assigned twice; every node needs its own name")
        _check_expression(stmt.value, names)
        if isinstance(stmt.value, ast.Name):
            raise _error_at(stmt.value, f"'{name} = {stmt.value.id}' only copies a name; write an operation")
        size += sum(1 for node in ast.walk(stmt.value) if isinstance(node, _MAKES_A_NODE))
        if size > MAX_NODES:
            raise _error_at(stmt, f"the graph would have more than {MAX_NODES:,} nodes")
        value = _number(stmt.value)
        if value is not None and not math.isfinite(value):  # 1e999 reads as inf
            raise _error_at(stmt.value, f"{name} = {value} is not a finite number")
        if value is not None and abs(value) > MAX_LEAF:
            raise _error_at(stmt.value, f"{name} = {value:g}: a leaf's value must be between {-MAX_LEAF:g} and "
                                        f"{MAX_LEAF:g}")
        if value is not None:
            leaves[name] = value
        names.add(name)
        statements.append(Statement(name, stmt.value, stmt.lineno, stmt.col_offset + 1))
    if not statements:
        raise ProgramError("the program is empty: write assignments like 'a = 2.0'")
    return Program(tuple(statements), types.MappingProxyType(leaves))


def _operands(node):
    """The sub-expressions that become input nodes. A number (even `-2`) is one constant node, and so is
    a number exponent: `x**2` has the single input x, like micrograd's `**` with a constant."""
    if _number(node) is not None:
        return []
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow) and _number(node.right) is not None:
        return [node.left]
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        return [node.operand]
    if isinstance(node, ast.Call):
        return node.args
    return []


def _apply(node, args, env):
    """One operation on Values; numbers become unlabelled constant leaves, named like their number."""
    number = _number(node)
    if number is not None:
        return Value(number, label=repr(number))
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd):
        return args[0]
    if isinstance(node, ast.Call):
        return engine.apply(_SYNTAX[ast.Call, node.func.id], args[0])
    if isinstance(node, ast.BinOp) and len(args) == 1:  # x ** number
        return engine.apply(_EXPONENT_OPS[ast.BinOp, type(node.op)], args[0], exponent=_number(node.right))
    return engine.apply(_SYNTAX[type(node), type(node.op)], *args)


def _evaluate(expr, env):
    """Post-order walk with an explicit stack: no Python recursion, however deep the expression."""
    results = {}
    stack = [(expr, False)]
    while stack:
        node, operands_done = stack.pop()
        operands = _operands(node)
        if not operands_done:
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(operands))
            continue
        try:
            value = _apply(node, [results.pop(id(child)) for child in operands], env)
        except ProgramError:
            raise
        except ZeroDivisionError:
            raise _error_at(node, "division by zero") from None
        except OverflowError:
            raise _error_at(node, "the result is too large for a float") from None
        except ValueError as e:  # the engine's domain errors, e.g. log of a negative number
            raise _error_at(node, str(e)) from None
        if not math.isfinite(value.data):
            raise _error_at(node, f"the result is {value.data}, not a finite number")
        results[id(node)] = value
    return results[id(expr)]


def build_graph(program, leaves=None):
    """Make the engine Values of `program`; `leaves` overrides leaf values by name. Returns (output, env)."""
    env = {}
    for stmt in program.statements:
        if stmt.name in program.leaves:
            value = Value(float((leaves or {}).get(stmt.name, program.leaves[stmt.name])), label=stmt.name)
        else:
            value = _evaluate(stmt.expr, env)
            if any(value is earlier for earlier in env.values()):  # e.g. 'x = +a' made no new node
                raise ProgramError(f"'{stmt.name}' only copies a name; write an operation", stmt.line, stmt.column)
            value.label = stmt.name
        env[stmt.name] = value
    return env[program.output], env


def program_from_value(root):
    """Write an engine Value's graph as a program (engine/program.py, so the engine's notebook links write the
    same text); an op the language cannot write raises ProgramError."""
    try:
        return _program_from_value(root)
    except UnwritableGraph as error:
        raise ProgramError(str(error)) from None
